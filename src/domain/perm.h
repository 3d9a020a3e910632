/*
 * perm.h - the one place that decides what an account may do.
 *
 * Handlers never decide; they ask perm_can() with the acting user (NULL
 * for a visitor who is not signed in), the action and, for actions on an
 * object, the object's owner. Deny by default: an action not listed
 * below is refused for everyone.
 */
#ifndef WK_PERM_H
#define WK_PERM_H

#include <stdbool.h>
#include <stdint.h>

struct auth_user;

enum perm_action {
	PERM_COMMENT_POST,	/* post a comment or a reply */
	PERM_COMMENT_DELETE,	/* delete a comment (owner: its author) */
	PERM_PROFILE_EDIT,	/* change own profile and password */
	PERM_DOC_UPLOAD,	/* upload documents */
	PERM_DOC_MINE,		/* follow own uploads, answer takedowns
				 * (even with uploads suspended) */
	PERM_MODERATE,		/* moderator work: reviews, reports */
	PERM_ADMIN,		/* site administration */
	PERM_FAVORITE,		/* favourite (收藏) a document */
};

/* Whether user (NULL: anonymous) may do act on an object owned by
 * owner_id (0 when the action has no object). Suspended and banned
 * accounts may only read. */
bool perm_can(const struct auth_user *user, enum perm_action act,
	      int64_t owner_id);

/* The open_uploads setting: when on, every active account may upload,
 * not only providers. */
void perm_set_open_uploads(bool on);

/* The strike_limit setting: an account with this many live copyright
 * strikes may not upload (0: no limit). */
void perm_set_strike_limit(int limit);

#endif
