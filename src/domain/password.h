/*
 * password.h - the password policy, argon2id hashes and their checking.
 *
 * Policy (NIST SP 800-63B, OWASP ASVS 2.1): 8 to 128 characters of any
 * script, not the user name, not a common password. There are no
 * composition rules. "Common" means listed in the built-in
 * wordlists/common-passwords.txt (compared in ASCII lowercase) or an
 * eight-digit date YYYYMMDD.
 *
 * Every password is brought to Unicode NFKC before it is checked, hashed
 * or verified, so a password typed in an input method's full-width mode
 * (１２３ａｂｃ) is the same password as its half-width twin, and composed
 * and decomposed accents don't make two passwords.
 *
 * Hashes are libsodium argon2id strings ("$argon2id$v=19$m=19456,t=2,
 * p=1$..."). Hashing and verifying take a slot from a limiter sized to
 * the number of online cores, so a flood of sign-ins waits its turn
 * instead of starving the rest of the site; each slot holds 19 MiB while
 * it works.
 */
#ifndef WK_PASSWORD_H
#define WK_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_CHARS 128
/* Input longer than this (before normalisation) is refused unread. */
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_OPSLIMIT 2
#define PASSWORD_MEMLIMIT ((size_t)19 * 1024 * 1024)
/* Room for a stored hash, NUL included. */
#define PASSWORD_HASH_SIZE crypto_pwhash_STRBYTES

/* Why a password was refused, for the web layer's localised message. */
enum pw_reason {
	PW_OK,
	PW_TOO_SHORT,		/* fewer than PASSWORD_MIN_CHARS */
	PW_TOO_LONG,		/* more than PASSWORD_MAX_CHARS */
	PW_INVALID,		/* not valid UTF-8 */
	PW_COMMON,		/* in the common list, or a date */
	PW_SAME_AS_NAME,	/* equals the user name, ignoring ASCII case */
};

/* Check pw (NUL-terminated) against the policy. user_name may be NULL.
 * Returns 0, or WK_EINVAL with the reason in *why (may be NULL) and a
 * short English message in err (may be NULL). WK_ENOMEM if normalising
 * ran out of memory. */
int password_check_policy(const char *pw, const char *user_name,
			  enum pw_reason *why, char *err, size_t errlen);

/* Hash pw into out as an argon2id string. Does not check the policy.
 * Returns 0, WK_EINVAL (not UTF-8), WK_ETOOBIG (over PASSWORD_MAX_BYTES)
 * or WK_ENOMEM. Blocks while every limiter slot is busy. */
int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE]);

/* 0 when pw matches the stored hash, WK_EFORBIDDEN otherwise (also for a
 * malformed hash, a NULL argument or a password that could never have
 * been hashed). The comparison is libsodium's, in constant time. Blocks
 * while every limiter slot is busy. */
int password_verify(const char *stored, const char *pw);

/* Verify pw against a hash nobody knows the password of, and discard the
 * result: call it for an unknown user name so that answering "no such
 * user" costs the same time as "wrong password". */
void password_dummy_verify(const char *pw);

/* Whether stored was made with other parameters (or another algorithm,
 * or is unreadable) and should be replaced by password_hash() of the
 * password just verified. */
bool password_needs_rehash(const char *stored);

/* The limiter's size and the most slots ever busy at once (for tests and
 * the status page). */
void password_limiter_stats(unsigned *slots, unsigned *peak);

#endif
