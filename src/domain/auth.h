/*
 * auth.h - accounts, sign-in and sessions.
 *
 * Passwords are argon2id hashes (password.h). A session is a 256-bit
 * random token given to the browser in a cookie; the database keeps only
 * its SHA-256. A session ends at sign-out, at a password change (every
 * session of the account), after the idle time or at the absolute
 * lifetime. CSRF tokens are an HMAC, under a site secret, of the
 * session's token hash (or, before sign-in, of a random pre-session
 * cookie), so they need no storage and die with the session.
 *
 * Sign-in failures are limited per account and per address (10 a
 * minute, then refused with a retry time), registrations per address
 * (5 an hour); an unknown name and a wrong password take the same time
 * and give the same answer.
 */
#ifndef WK_AUTH_H
#define WK_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct auth;

struct auth_user {
	int64_t id;
	const char *name;
	const char *display_name;
	const char *role;	/* reader, provider, moderator, admin */
	bool active;		/* not suspended or banned */
	int64_t strikes;	/* live copyright strikes (reports.h) */
};

/* Why a registration, sign-in or password change was refused: the web
 * layer shows the message for the reason in the reader's language. */
enum auth_reason {
	AR_OK,
	AR_NAME_INVALID,	/* 3-32 of a-z 0-9 _ - */
	AR_NAME_TAKEN,
	AR_PW_TOO_SHORT,
	AR_PW_TOO_LONG,
	AR_PW_INVALID,
	AR_PW_COMMON,
	AR_PW_SAME_AS_NAME,
	AR_BAD_CREDENTIALS,	/* unknown name or wrong password */
	AR_RATE_LIMITED,
	AR_SUSPENDED,
	AR_DISPLAY_INVALID,
	AR_EMAIL_INVALID,	/* optional, but well-formed when given */
};

#define AUTH_TOKEN_HEX 65	/* 64 hex characters and a NUL */

struct auth *auth_new(struct store *s, char *err, size_t errlen);
void auth_free(struct auth *au);
/* Use a different clock (tests); NULL restores time(). */
void auth_set_clock(struct auth *au, int64_t (*now)(void));
/* Session lifetimes in seconds (settings). */
void auth_set_lifetimes(struct auth *au, int idle_s, int absolute_s);

/* Create an account (email may be NULL or ""). 0 and *id, or WK_EINVAL / WK_ECONFLICT /
 * WK_EFORBIDDEN (rate limited) with *why set. ip may be NULL (command
 * line: no rate limit). */
int auth_register(struct auth *au, const char *name, const char *display,
		  const char *email, const char *password, const char *role,
		  const char *ip, int64_t *id, enum auth_reason *why);

/* Sign in: 0 and a new session token, or WK_EFORBIDDEN with *why
 * (AR_BAD_CREDENTIALS, AR_RATE_LIMITED with *retry_after seconds,
 * AR_SUSPENDED). */
int auth_login(struct auth *au, const char *name, const char *password,
	       const char *ip, const char *user_agent,
	       char token[AUTH_TOKEN_HEX], enum auth_reason *why,
	       unsigned *retry_after);

/* A session for an account that just proved itself another way (it
 * was just created). */
int auth_start_session(struct auth *au, int64_t user_id, const char *ip,
		       const char *user_agent, char token[AUTH_TOKEN_HEX]);

/* The account of a live session token; WK_ENOTFOUND for none (unknown,
 * expired, idle too long). */
int auth_session(struct auth *au, struct arena *a, const char *token,
		 struct auth_user *out);
int auth_logout(struct auth *au, const char *token);

/* Change a password: every session of the account ends, and a new one
 * is returned for the browser that made the change. */
int auth_change_password(struct auth *au, int64_t user_id,
			 const char *old_pw, const char *new_pw,
			 const char *ip, const char *user_agent,
			 char token[AUTH_TOKEN_HEX], enum auth_reason *why);

/* CSRF token for a session token or pre-session cookie value (32 hex
 * characters and a NUL), and its check (constant time). */
void auth_csrf(struct auth *au, const char *token, char out[33]);
bool auth_csrf_ok(struct auth *au, const char *token, const char *given);

/* Count one action (what: "comment"...) by an account against limit per
 * window_s seconds: 0 when allowed, WK_EFORBIDDEN with *retry_after
 * seconds when the account is over it. */
int auth_allow(struct auth *au, const char *what, int64_t user_id,
	       unsigned limit, unsigned window_s, unsigned *retry_after);
/* The same per client address (ip as text). */
int auth_allow_ip(struct auth *au, const char *what, const char *ip,
		  unsigned limit, unsigned window_s, unsigned *retry_after);

/* API tokens for partners' uploads: made for an account (shown once,
 * only the hash kept), and the account behind a presented token. */
int auth_token_create(struct auth *au, int64_t user_id, const char *name,
		      char token[AUTH_TOKEN_HEX], int64_t *id);
int auth_token_user(struct auth *au, struct arena *a, const char *token,
		    struct auth_user *out);

/* Password reset links (0020): an admin makes one for an account; only
 * the token's SHA-256 is kept, it expires after AUTH_RESET_TTL seconds
 * and works once. The clock is the caller's (tests). */
#define AUTH_RESET_TTL 86400
/* A new link's token (64 hex, 256 random bits) for user_id, made by
 * admin_id at now, audited as "user.reset_link" (never the token) in
 * the same transaction. WK_ENOTFOUND for no such account. */
int auth_reset_create(struct store *s, int64_t admin_id, int64_t user_id,
		      int64_t now, char token[AUTH_TOKEN_HEX]);
/* 0 with *user_id when token is a live link at now; WK_ENOTFOUND when
 * it is unknown, malformed, used or expired. */
int auth_reset_check(struct store *s, const char *token, int64_t now,
		     int64_t *user_id);
/* Set the account's password through token at now (the policy of
 * registration; WK_EINVAL with *why): the link is spent and every
 * session of the account ended in one transaction. WK_ENOTFOUND as
 * auth_reset_check (also for the loser of two racing uses). */
int auth_reset_use(struct store *s, const char *token, const char *new_pw,
		   int64_t now, enum auth_reason *why);

/* A fresh random token (64 hex), for pre-session cookies. */
void auth_random_token(char out[AUTH_TOKEN_HEX]);

#endif
