/*
 * auth.c - accounts, sign-in, sessions and CSRF tokens (see auth.h).
 */
#include "auth.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../store/store.h"
#include "audit.h"
#include "password.h"
#include "ratelimit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define FAIL_LIMIT 10		/* sign-in failures ... */
#define FAIL_WINDOW 60		/* ... a minute, per account and address */
#define REG_LIMIT 5		/* registrations ... */
#define REG_WINDOW 3600		/* ... an hour per address */
#define TOUCH_EVERY 60		/* seconds between last_seen updates */

struct auth {
	struct store *s;
	unsigned char key[32];	/* CSRF HMAC key, from the secrets table */
	int64_t (*now)(void);
	atomic_int idle_s, absolute_s;	/* changed by a settings reload */
	struct ratelimit *fails;
	struct ratelimit *regs;
	struct ratelimit *acts;	/* per-account actions (comments...) */
};

static int64_t wall_clock(void)
{
	return (int64_t)time(NULL);
}

struct auth *auth_new(struct store *s, char *err, size_t errlen)
{
	struct auth *au = calloc(1, sizeof(*au));

	if (!au) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	au->s = s;
	au->now = wall_clock;
	au->idle_s = 7 * 86400;
	au->absolute_s = 30 * 86400;
	if (store_secret_key(s, "csrf", au->key, sizeof(au->key))) {
		snprintf(err, errlen, "cannot load the site's secrets");
		free(au);
		return NULL;
	}
	au->fails = ratelimit_new(65536);
	au->regs = ratelimit_new(16384);
	au->acts = ratelimit_new(65536);
	if (!au->fails || !au->regs || !au->acts) {
		auth_free(au);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return au;
}

void auth_free(struct auth *au)
{
	if (!au)
		return;
	ratelimit_free(au->fails);
	ratelimit_free(au->regs);
	ratelimit_free(au->acts);
	sodium_memzero(au->key, sizeof(au->key));
	free(au);
}

void auth_set_clock(struct auth *au, int64_t (*now)(void))
{
	au->now = now ? now : wall_clock;
}

void auth_set_lifetimes(struct auth *au, int idle_s, int absolute_s)
{
	au->idle_s = idle_s;
	au->absolute_s = absolute_s;
}

void auth_random_token(char out[AUTH_TOKEN_HEX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, AUTH_TOKEN_HEX, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/* SHA-256 of a token, hex: what the sessions table holds. */
static void token_hash(const char *token, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

void auth_csrf(struct auth *au, const char *token, char out[33])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char th[65];

	token_hash(token, th);
	crypto_auth_hmacsha256(mac, (const unsigned char *)th, 64, au->key);
	sodium_bin2hex(out, 33, mac, 16);
}

bool auth_csrf_ok(struct auth *au, const char *token, const char *given)
{
	char want[33];

	if (!token || !given || strlen(given) != 32)
		return false;
	auth_csrf(au, token, want);
	return sodium_memcmp(want, given, 32) == 0;
}

/* User names: 3-32 of a-z 0-9 _ -. */
static bool name_ok(const char *n)
{
	size_t i, len = n ? strlen(n) : 0;

	if (len < 3 || len > 32)
		return false;
	for (i = 0; i < len; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '_' ||
		      n[i] == '-'))
			return false;
	return true;
}

static enum auth_reason pw_reason(int r)
{
	switch (r) {
	case PW_TOO_SHORT: return AR_PW_TOO_SHORT;
	case PW_TOO_LONG: return AR_PW_TOO_LONG;
	case PW_COMMON: return AR_PW_COMMON;
	case PW_SAME_AS_NAME: return AR_PW_SAME_AS_NAME;
	case PW_OK: return AR_OK;
	}
	return AR_PW_INVALID;
}

/* An e-mail address that is plausible: one '@', a dot in the domain,
 * printable ASCII without spaces, at most 254 characters. */
static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@'), *p;
	size_t n = strlen(e);

	if (n > 254 || !at || at == e || strchr(at + 1, '@') ||
	    !strchr(at + 1, '.') || at[1] == '.' || e[n - 1] == '.')
		return false;
	for (p = e; *p; p++)
		if (*p <= ' ' || *p >= 127 || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '\'')
			return false;
	return true;
}

int auth_register(struct auth *au, const char *name, const char *display,
		  const char *email, const char *password, const char *role,
		  const char *ip, int64_t *id, enum auth_reason *why)
{
	char hash[crypto_pwhash_STRBYTES], err[128], key[96];
	enum pw_reason pr;
	unsigned retry;
	size_t dn;
	int rc;

	*why = AR_OK;
	if (ip) {
		snprintf(key, sizeof(key), "reg %s", ip);
		if (ratelimit_check(au->regs, key, REG_LIMIT, REG_WINDOW,
				    au->now(), &retry)) {
			*why = AR_RATE_LIMITED;
			return WK_EFORBIDDEN;
		}
	}
	if (!name_ok(name)) {
		*why = AR_NAME_INVALID;
		return WK_EINVAL;
	}
	if (!display || !*display)
		display = name;
	dn = utf8_valid(display, strlen(display))
		     ? utf8_count(display, strlen(display))
		     : 0;
	if (dn < 1 || dn > 32 || strpbrk(display, "\r\n\t")) {
		*why = AR_DISPLAY_INVALID;
		return WK_EINVAL;
	}
	if (email && *email && !email_ok(email)) {
		*why = AR_EMAIL_INVALID;
		return WK_EINVAL;
	}
	if (!password ||
	    password_check_policy(password, name, &pr, err, sizeof(err))) {
		*why = password ? pw_reason(pr) : AR_PW_INVALID;
		return WK_EINVAL;
	}
	if ((rc = password_hash(password, hash)))
		return rc;
	rc = store_account_create(au->s, name, display, email,
				  role ? role : "reader", hash, id);
	if (rc == WK_ECONFLICT)
		*why = AR_NAME_TAKEN;
	else if (rc == 0 && ip)
		ratelimit_hit(au->regs, key, REG_LIMIT, REG_WINDOW, au->now(),
			      &retry);
	return rc;
}

/* A new session for user_id: token out, hash stored. */
static int new_session(struct auth *au, int64_t user_id, const char *ip,
		       const char *ua, char token[AUTH_TOKEN_HEX])
{
	char th[65];
	int64_t now = au->now();

	auth_random_token(token);
	token_hash(token, th);
	return store_session_create(au->s, th, user_id, now,
				    now + au->absolute_s, ip, ua);
}

static bool account_active(const struct store_account *acc, int64_t now)
{
	if (!strcmp(acc->status, "banned"))
		return false;
	if (!strcmp(acc->status, "suspended") &&
	    (!acc->suspended_until || acc->suspended_until > now))
		return false;
	return true;
}

int auth_login(struct auth *au, const char *name, const char *password,
	       const char *ip, const char *user_agent,
	       char token[AUTH_TOKEN_HEX], enum auth_reason *why,
	       unsigned *retry_after)
{
	struct store_account acc;
	struct arena *a;
	char kname[96], kip[96];
	int64_t now = au->now();
	int rc, found;

	*why = AR_BAD_CREDENTIALS;
	*retry_after = 0;
	if (!name || !password)
		return WK_EFORBIDDEN;
	snprintf(kname, sizeof(kname), "name %.64s", name);
	snprintf(kip, sizeof(kip), "ip %s", ip ? ip : "-");
	if (ratelimit_check(au->fails, kname, FAIL_LIMIT, FAIL_WINDOW, now,
			    retry_after) ||
	    ratelimit_check(au->fails, kip, FAIL_LIMIT, FAIL_WINDOW, now,
			    retry_after)) {
		*why = AR_RATE_LIMITED;
		return WK_EFORBIDDEN;
	}
	a = arena_new(0);
	if (!a)
		return WK_ENOMEM;
	found = store_account_by_name(au->s, a, name, &acc) == 0 &&
		acc.password_hash;
	/* The same work whether or not the account exists. */
	if (found)
		rc = password_verify(acc.password_hash, password);
	else {
		password_dummy_verify(password);
		rc = WK_EFORBIDDEN;
	}
	if (rc) {
		unsigned ra;
		ratelimit_hit(au->fails, kname, FAIL_LIMIT, FAIL_WINDOW, now,
			      &ra);
		ratelimit_hit(au->fails, kip, FAIL_LIMIT, FAIL_WINDOW, now,
			      &ra);
		arena_free(a);
		return WK_EFORBIDDEN;
	}
	if (!account_active(&acc, now)) {
		*why = AR_SUSPENDED;
		arena_free(a);
		return WK_EFORBIDDEN;
	}
	ratelimit_reset(au->fails, kname);
	rc = new_session(au, acc.id, ip, user_agent, token);
	arena_free(a);
	if (rc == 0)
		*why = AR_OK;
	return rc;
}

int auth_session(struct auth *au, struct arena *a, const char *token,
		 struct auth_user *out)
{
	struct store_account acc;
	struct store_session ss;
	char th[65];
	int64_t now = au->now();
	int rc;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != AUTH_TOKEN_HEX - 1)
		return WK_ENOTFOUND;
	token_hash(token, th);
	if ((rc = store_session_get(au->s, th, &ss)))
		return rc;
	if (now >= ss.expires_at || now - ss.last_seen_at > au->idle_s) {
		store_session_delete(au->s, th);
		return WK_ENOTFOUND;
	}
	if ((rc = store_account_get(au->s, a, ss.user_id, &acc)))
		return rc;
	/* Sessions from before the last password change are dead too. */
	if (acc.password_changed_at > ss.created_at) {
		store_session_delete(au->s, th);
		return WK_ENOTFOUND;
	}
	if (now - ss.last_seen_at >= TOUCH_EVERY)
		store_session_touch(au->s, th, now);
	out->id = acc.id;
	out->name = acc.name;
	out->display_name = acc.display_name;
	out->role = acc.role;
	out->active = account_active(&acc, now);
	out->strikes = acc.strikes;
	return 0;
}

int auth_logout(struct auth *au, const char *token)
{
	char th[65];

	if (!token)
		return 0;
	token_hash(token, th);
	return store_session_delete(au->s, th);
}

int auth_change_password(struct auth *au, int64_t user_id,
			 const char *old_pw, const char *new_pw,
			 const char *ip, const char *user_agent,
			 char token[AUTH_TOKEN_HEX], enum auth_reason *why)
{
	char hash[crypto_pwhash_STRBYTES], err[128];
	struct store_account acc;
	enum pw_reason pr;
	struct arena *a = arena_new(0);
	int rc;

	*why = AR_BAD_CREDENTIALS;
	if (!a)
		return WK_ENOMEM;
	rc = store_account_get(au->s, a, user_id, &acc);
	if (rc || !acc.password_hash || !old_pw ||
	    password_verify(acc.password_hash, old_pw)) {
		arena_free(a);
		return rc ? rc : WK_EFORBIDDEN;
	}
	if (!new_pw ||
	    password_check_policy(new_pw, acc.name, &pr, err, sizeof(err))) {
		*why = new_pw ? pw_reason(pr) : AR_PW_INVALID;
		arena_free(a);
		return WK_EINVAL;
	}
	arena_free(a);
	if ((rc = password_hash(new_pw, hash)))
		return rc;
	/* Every old session dies (password_changed_at is also checked on
	 * use); the browser that made the change gets a new one. */
	if ((rc = store_write_begin(au->s)))
		return rc;
	rc = store_account_set_password(au->s, user_id, hash, au->now());
	if (!rc)
		rc = store_session_delete_user(au->s, user_id);
	if (rc) {
		store_write_rollback(au->s);
		return rc;
	}
	if ((rc = store_write_commit(au->s)))
		return rc;
	*why = AR_OK;
	return new_session(au, user_id, ip, user_agent, token);
}

int auth_allow_ip(struct auth *au, const char *what, const char *ip,
		  unsigned limit, unsigned window_s, unsigned *retry_after)
{
	char key[128];

	*retry_after = 0;
	snprintf(key, sizeof(key), "%.32s ip %.64s", what, ip ? ip : "");
	return ratelimit_hit(au->acts, key, limit, window_s, au->now(),
			     retry_after)
		       ? WK_EFORBIDDEN
		       : 0;
}

int auth_allow(struct auth *au, const char *what, int64_t user_id,
	       unsigned limit, unsigned window_s, unsigned *retry_after)
{
	char key[96];

	*retry_after = 0;
	snprintf(key, sizeof(key), "%.32s %lld", what, (long long)user_id);
	return ratelimit_hit(au->acts, key, limit, window_s, au->now(),
			     retry_after)
		       ? WK_EFORBIDDEN
		       : 0;
}

int auth_start_session(struct auth *au, int64_t user_id, const char *ip,
		       const char *user_agent, char token[AUTH_TOKEN_HEX])
{
	return new_session(au, user_id, ip, user_agent, token);
}

int auth_token_create(struct auth *au, int64_t user_id, const char *name,
		      char token[AUTH_TOKEN_HEX], int64_t *id)
{
	char th[65];

	auth_random_token(token);
	token_hash(token, th);
	return store_token_add(au->s, user_id, th, name, id);
}

int auth_token_user(struct auth *au, struct arena *a, const char *token,
		    struct auth_user *out)
{
	struct store_account acc;
	char th[65];
	int64_t uid;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != AUTH_TOKEN_HEX - 1)
		return WK_ENOTFOUND;
	token_hash(token, th);
	if ((rc = store_token_user(au->s, th, &uid)) ||
	    (rc = store_account_get(au->s, a, uid, &acc)))
		return rc;
	out->id = acc.id;
	out->name = acc.name;
	out->display_name = acc.display_name;
	out->role = acc.role;
	out->active = account_active(&acc, au->now());
	out->strikes = acc.strikes;
	return 0;
}

/* ---- password reset links ------------------------------------------------*/

/* SHA-256 (hex) of a reset token; false when token is not 64 hex. */
static bool reset_hash(const char *token, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	if (!token || strlen(token) != AUTH_TOKEN_HEX - 1)
		return false;
	for (i = 0; i < AUTH_TOKEN_HEX - 1; i++)
		if (!strchr("0123456789abcdef", token[i]))
			return false;
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return true;
}

int auth_reset_create(struct store *s, int64_t admin_id, int64_t user_id,
		      int64_t now, char token[AUTH_TOKEN_HEX])
{
	struct store_account acc;
	struct arena *a = arena_new(0);
	char hex[65];
	int rc;

	token[0] = '\0';
	if (!a)
		return WK_ENOMEM;
	auth_random_token(token);	/* 256 random bits */
	reset_hash(token, hex);
	if ((rc = store_write_begin(s)))
		goto out;
	if ((rc = store_account_get(s, a, user_id, &acc)) ||
	    (rc = store_reset_add(s, hex, user_id, admin_id,
				  now + AUTH_RESET_TTL, now)) ||
	    (rc = audit_log(s, admin_id, "user.reset_link", AUDIT_USER,
			    user_id, NULL,
			    arena_sprintf(a, "expires=%lld",
					  (long long)(now + AUTH_RESET_TTL)),
			    NULL))) {
		store_write_rollback(s);
		goto out;
	}
	rc = store_write_commit(s);
out:
	if (rc)
		sodium_memzero(token, AUTH_TOKEN_HEX);
	arena_free(a);
	return rc;
}

int auth_reset_check(struct store *s, const char *token, int64_t now,
		     int64_t *user_id)
{
	int64_t expires, used;
	char hex[65];
	int rc;

	*user_id = 0;
	if (!reset_hash(token, hex))
		return WK_ENOTFOUND;
	if ((rc = store_reset_get(s, hex, user_id, &expires, &used)))
		return rc;
	if (used || now >= expires) {
		*user_id = 0;
		return WK_ENOTFOUND;
	}
	return 0;
}

int auth_reset_use(struct store *s, const char *token, const char *new_pw,
		   int64_t now, enum auth_reason *why)
{
	char hash[crypto_pwhash_STRBYTES], hex[65];
	struct store_account acc;
	enum pw_reason pr;
	struct arena *a;
	int64_t user_id;
	int rc;

	*why = AR_OK;
	if ((rc = auth_reset_check(s, token, now, &user_id)))
		return rc;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	rc = store_account_get(s, a, user_id, &acc);
	if (!rc && (!new_pw || password_check_policy(new_pw, acc.name, &pr,
						     NULL, 0))) {
		*why = new_pw ? pw_reason(pr) : AR_PW_INVALID;
		rc = WK_EINVAL;
	}
	arena_free(a);
	if (rc)
		return rc;
	if ((rc = password_hash(new_pw, hash)))
		return rc;
	reset_hash(token, hex);
	/* Spend the link, set the password and end every session at once:
	 * of two uses racing, one changes the row and the other is refused. */
	if ((rc = store_write_begin(s)))
		return rc;
	rc = store_reset_use(s, hex, now);
	if (rc == WK_ECONFLICT)
		rc = WK_ENOTFOUND;
	if (!rc)
		rc = store_account_set_password(s, user_id, hash, now);
	if (!rc)
		rc = store_session_delete_user(s, user_id);
	sodium_memzero(hash, sizeof(hash));
	if (rc) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}
