/*
 * verify.c - real-name verification requests (see verify.h).
 */
#include "verify.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"
#include "notify.h"
#include "realname.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

/* The HMAC key for ID numbers, created once per site. */
static int id_key(struct store *s, unsigned char key[REALNAME_KEY_LEN])
{
	return store_secret_key(s, "idhash", key, REALNAME_KEY_LEN) ? WK_EIO
								    : 0;
}

int verify_request(struct store *s, int64_t user_id, const char *real_name,
		   const char *id_number, enum verify_reason *why)
{
	unsigned char key[REALNAME_KEY_LEN];
	struct store_verification last;
	char err[128], mask[REALNAME_ID_LEN + 1], hash[65];
	struct arena *a;
	int64_t vid;
	int rc;

	*why = VR_OK;
	if (!real_name || realname_check_name(real_name, err, sizeof(err))) {
		*why = VR_NAME_INVALID;
		return WK_EINVAL;
	}
	if (!id_number || realname_check_id(id_number, err, sizeof(err))) {
		*why = VR_ID_INVALID;
		return WK_EINVAL;
	}
	a = arena_new(0);
	if (!a)
		return WK_ENOMEM;
	rc = store_verification_latest(s, a, user_id, &last);
	if (rc == 0 && strcmp(last.status, "rejected")) {
		*why = VR_ALREADY;
		arena_free(a);
		return WK_ECONFLICT;
	}
	if (rc && rc != WK_ENOTFOUND) {
		arena_free(a);
		return rc;
	}
	if ((rc = id_key(s, key)) ||
	    (rc = realname_id_hash(id_number, key, hash))) {
		arena_free(a);
		return rc;
	}
	sodium_memzero(key, sizeof(key));
	realname_mask(id_number, mask);
	rc = store_verification_add(s, user_id, real_name, mask, hash, &vid);
	if (rc == WK_ECONFLICT)
		*why = VR_ID_USED;
	arena_free(a);
	return rc;
}

int verify_decide(struct store *s, int64_t id, bool approve,
		  const char *reason, int64_t moderator_id)
{
	struct notify_event e = { .object_type = "verification" };
	struct store_verification v;
	struct arena *a;
	int rc;

	if (!approve && (!reason || !*reason ||
			 !utf8_valid(reason, strlen(reason)) ||
			 utf8_count(reason, strlen(reason)) > 500))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	if ((rc = store_write_begin(s)))
		goto out;
	/* The decision and the applicant's notice commit together. */
	if ((rc = store_verification_get(s, a, id, &v)) ||
	    (rc = store_verification_decide(s, id, approve,
					    approve ? "" : reason,
					    moderator_id)))
		goto fail;
	e.kind = approve ? NK_VERIFY_APPROVED : NK_VERIFY_REJECTED;
	e.object_id = id;
	e.note = approve ? NULL : reason;
	if ((rc = notify_post(s, v.user_id, &e, (int64_t)time(NULL))))
		goto fail;
	rc = store_write_commit(s);
	goto out;
fail:
	store_write_rollback(s);
out:
	arena_free(a);
	return rc;
}
