/*
 * perm.c - permission decisions (see perm.h). Deny by default.
 */
#include "perm.h"
#include "auth.h"

#include <string.h>

#include <stdatomic.h>

static atomic_bool open_uploads;
static atomic_int strike_limit;

void perm_set_strike_limit(int limit)
{
	atomic_store(&strike_limit, limit);
}

void perm_set_open_uploads(bool on)
{
	atomic_store(&open_uploads, on);
}

static int role_rank(const char *role)
{
	if (!role)
		return 0;
	if (!strcmp(role, "admin"))
		return 4;
	if (!strcmp(role, "moderator"))
		return 3;
	if (!strcmp(role, "provider"))
		return 2;
	if (!strcmp(role, "reader"))
		return 1;
	return 0;
}

bool perm_can(const struct auth_user *u, enum perm_action act,
	      int64_t owner_id)
{
	int rank;

	if (!u || !u->id || !u->active)
		return false;	/* visitors and suspended accounts read */
	rank = role_rank(u->role);
	if (rank == 0)
		return false;
	switch (act) {
	case PERM_COMMENT_POST:
	case PERM_PROFILE_EDIT:
	case PERM_FAVORITE:
		return true;
	case PERM_COMMENT_DELETE:
		return owner_id == u->id || rank >= 3;
	case PERM_DOC_MINE:
		return rank >= 2 || atomic_load(&open_uploads);
	case PERM_DOC_UPLOAD:
		if (atomic_load(&strike_limit) > 0 &&
		    u->strikes >= atomic_load(&strike_limit))
			return false;	/* suspended by strikes */
		return rank >= 2 || atomic_load(&open_uploads);
	case PERM_MODERATE:
		return rank >= 3;
	case PERM_ADMIN:
		return rank >= 4;
	}
	return false;
}
