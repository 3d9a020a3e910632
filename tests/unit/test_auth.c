/* test_auth.c - sessions with a settable clock, CSRF tokens, what the
 * database holds, and the permission table. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/err.h"
#include "../../src/domain/auth.h"
#include "../../src/domain/perm.h"
#include "../../src/store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Set from the real clock when a test begins: the account rows the store
 * writes (password_changed_at...) carry real time, and a session made
 * before that would read as made before a password change. */
static int64_t clock_now;
static int64_t test_clock(void) { return clock_now; }

static struct store *open_tmp(char *dir)
{
	char err[256];
	strcpy(dir, "/tmp/wenku-auth.XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	return store_open(dir, err, sizeof(err));
}

static void rm_tmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
}

TEST(auth_session_lifecycle_with_clock)
{
	char dir[64], err[256], tok[AUTH_TOKEN_HEX], tok2[AUTH_TOKEN_HEX];
	struct store *s;
	struct auth *au;
	struct auth_user u;
	struct arena *a = arena_new(0);
	enum auth_reason why;
	unsigned retry;
	int64_t id;

	CHECK(sodium_init() >= 0);
	s = open_tmp(dir);
	CHECK(s != NULL);
	if (!s)
		return;
	au = auth_new(s, err, sizeof(err));
	CHECK(au != NULL);
	clock_now = (int64_t)time(NULL) + 60;
	auth_set_clock(au, test_clock);
	auth_set_lifetimes(au, 3600, 86400);
	CHECK(auth_register(au, "carol", "卡罗尔", "carol@example.com",
			    "Tall-Window-88", "reader", "10.0.0.1", &id,
			    &why) == 0);
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok, &why, &retry) == 0);
	CHECK(auth_session(au, a, tok, &u) == 0 && u.id == id && u.active);
	CHECK_STR(u.display_name, "卡罗尔");
	/* A new token at every sign-in. */
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok2, &why, &retry) == 0);
	CHECK(strcmp(tok, tok2) != 0);
	/* Idle past an hour: dead. */
	clock_now += 3601;
	CHECK(auth_session(au, a, tok, &u) == WK_ENOTFOUND);
	/* Kept alive by visits, it still ends after a day. */
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok, &why, &retry) == 0);
	for (int i = 0; i < 24; i++) {
		clock_now += 3000;
		CHECK(auth_session(au, a, tok, &u) == 0);
	}
	clock_now += 14401;
	CHECK(auth_session(au, a, tok, &u) == WK_ENOTFOUND);
	/* Sign-out ends a session. */
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok, &why, &retry) == 0);
	CHECK(auth_logout(au, tok) == 0);
	CHECK(auth_session(au, a, tok, &u) == WK_ENOTFOUND);
	/* A password change ends every session but the new one. */
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok, &why, &retry) == 0);
	clock_now += 5;
	CHECK(auth_change_password(au, id, "Tall-Window-88", "Green-Field-31",
				   "10.0.0.1", "ua", tok2, &why) == 0);
	CHECK(auth_session(au, a, tok, &u) == WK_ENOTFOUND);
	CHECK(auth_session(au, a, tok2, &u) == 0);
	CHECK(auth_login(au, "carol", "Tall-Window-88", "10.0.0.1", "ua",
			 tok, &why, &retry) == WK_EFORBIDDEN);
	CHECK(why == AR_BAD_CREDENTIALS);
	auth_free(au);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(auth_database_holds_hashes_only)
{
	char dir[64], err[256], tok[AUTH_TOKEN_HEX], th[65];
	unsigned char h[crypto_hash_sha256_BYTES];
	struct store_account acc;
	struct store_session ss;
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	struct auth *au;
	enum auth_reason why;
	unsigned retry;
	int64_t id;

	if (!s)
		return;
	au = auth_new(s, err, sizeof(err));
	CHECK(auth_register(au, "dave", NULL, "not-an-email", "Brown-Kettle-64",
			    NULL, NULL, &id, &why) == WK_EINVAL);
	CHECK(why == AR_EMAIL_INVALID);
	CHECK(auth_register(au, "dave", NULL, "", "Brown-Kettle-64", NULL, NULL,
			    &id, &why) == 0);
	CHECK(store_account_by_name(s, a, "dave", &acc) == 0);
	CHECK(strncmp(acc.password_hash, "$argon2id$v=19$m=19456,t=2,p=1$",
		      31) == 0);
	CHECK(!strstr(acc.password_hash, "Brown-Kettle-64"));
	CHECK(auth_login(au, "dave", "Brown-Kettle-64", NULL, NULL, tok, &why,
			 &retry) == 0);
	CHECK(store_session_get(s, tok, &ss) == WK_ENOTFOUND);
	crypto_hash_sha256(h, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(th, sizeof(th), h, sizeof(h));
	CHECK(store_session_get(s, th, &ss) == 0 && ss.user_id == id);
	auth_free(au);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}

TEST(auth_csrf_bound_to_token)
{
	char dir[64], err[256], c1[33], c2[33];
	char t1[AUTH_TOKEN_HEX], t2[AUTH_TOKEN_HEX];
	struct store *s = open_tmp(dir);
	struct auth *au;

	if (!s)
		return;
	au = auth_new(s, err, sizeof(err));
	auth_random_token(t1);
	auth_random_token(t2);
	auth_csrf(au, t1, c1);
	auth_csrf(au, t2, c2);
	CHECK(strlen(c1) == 32 && strcmp(c1, c2) != 0);
	CHECK(auth_csrf_ok(au, t1, c1));
	CHECK(!auth_csrf_ok(au, t2, c1));
	CHECK(!auth_csrf_ok(au, t1, ""));
	CHECK(!auth_csrf_ok(au, t1, NULL));
	c1[0] = c1[0] == 'a' ? 'b' : 'a';
	CHECK(!auth_csrf_ok(au, t1, c1));
	auth_free(au);
	store_close(s);
	rm_tmp(dir);
}

TEST(perm_table_denies_by_default)
{
	struct auth_user reader = { 1, "r", "r", "reader", true, 0 };
	struct auth_user other = { 2, "o", "o", "reader", true, 0 };
	struct auth_user mod = { 3, "m", "m", "moderator", true, 0 };
	struct auth_user admin = { 4, "a", "a", "admin", true, 0 };
	struct auth_user prov = { 5, "p", "p", "provider", true, 0 };
	struct auth_user susp = { 6, "s", "s", "admin", false, 0 };
	struct auth_user odd = { 7, "x", "x", "root", true, 0 };

	CHECK(!perm_can(NULL, PERM_COMMENT_POST, 0));
	CHECK(perm_can(&reader, PERM_COMMENT_POST, 0));
	CHECK(perm_can(&reader, PERM_COMMENT_DELETE, 1));
	CHECK(!perm_can(&other, PERM_COMMENT_DELETE, 1));
	CHECK(perm_can(&mod, PERM_COMMENT_DELETE, 1));
	CHECK(!perm_can(&reader, PERM_DOC_UPLOAD, 0));
	CHECK(perm_can(&prov, PERM_DOC_UPLOAD, 0));
	CHECK(!perm_can(&prov, PERM_MODERATE, 0));
	CHECK(perm_can(&mod, PERM_MODERATE, 0));
	CHECK(!perm_can(&mod, PERM_ADMIN, 0));
	CHECK(perm_can(&admin, PERM_ADMIN, 0));
	CHECK(!perm_can(&susp, PERM_COMMENT_POST, 0));
	CHECK(!perm_can(&susp, PERM_ADMIN, 0));
	CHECK(!perm_can(&odd, PERM_COMMENT_POST, 0));
	CHECK(!perm_can(&admin, (enum perm_action)99, 0));
	/* Strikes suspend uploads at strike_limit, nothing else; the
	 * provider still follows their documents. */
	{
		struct auth_user struck = { 8, "k", "k", "provider", true, 3 };
		perm_set_strike_limit(3);
		CHECK(!perm_can(&struck, PERM_DOC_UPLOAD, 0));
		CHECK(perm_can(&struck, PERM_DOC_MINE, 0));
		CHECK(perm_can(&struck, PERM_COMMENT_POST, 0));
		struck.strikes = 2;
		CHECK(perm_can(&struck, PERM_DOC_UPLOAD, 0));
		struck.strikes = 3;
		perm_set_strike_limit(0);
		CHECK(perm_can(&struck, PERM_DOC_UPLOAD, 0));
		CHECK(!perm_can(&reader, PERM_DOC_MINE, 0));
	}
}
