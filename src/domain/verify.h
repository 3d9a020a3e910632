/*
 * verify.h - real-name verification (实名认证) for providers.
 *
 * An account asks with its real name and Chinese resident ID number
 * (checked per GB 11643: checksum, birth date, region). The number is
 * never stored: only its mask (first 3 and last 4 characters) and an
 * HMAC under a site secret, which finds a number used by another
 * account. One number verifies one account. A moderator approves (the
 * 实名认证 badge appears on the provider card) or rejects with a reason
 * the account sees.
 */
#ifndef WK_VERIFY_H
#define WK_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

struct store;

enum verify_reason {
	VR_OK,
	VR_NAME_INVALID,
	VR_ID_INVALID,
	VR_ID_USED,		/* another account has it (or this one) */
	VR_ALREADY,		/* a request is pending or approved */
};

/* File a request for user_id. 0, or WK_EINVAL / WK_ECONFLICT with *why. */
int verify_request(struct store *s, int64_t user_id, const char *real_name,
		   const char *id_number, enum verify_reason *why);

/* A moderator's decision on request id; a rejection needs a reason.
 * WK_ECONFLICT when the request is no longer pending, WK_EINVAL for a
 * rejection without a reason. */
int verify_decide(struct store *s, int64_t id, bool approve,
		  const char *reason, int64_t moderator_id);

#endif
