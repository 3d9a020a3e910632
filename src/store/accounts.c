/*
 * accounts.c - queries on accounts (the users table seen as sign-in
 * identities), sessions, site secrets and single comments.
 */
#include "store_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#define ACCOUNT_COLS                                                       \
	"id, name, display_name, role, status, password_hash, "           \
	"COALESCE(suspended_until, 0), COALESCE(password_changed_at, 0), " \
	"(SELECT COUNT(*) FROM strikes k WHERE k.user_id = users.id "     \
	"AND k.lifted_at IS NULL) FROM users "

static int read_account(sqlite3_stmt *st, struct arena *a,
			struct store_account *o, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, what);
	o->id = sqlite3_column_int64(st, 0);
	o->name = col_text(st, 1, a);
	o->display_name = col_text(st, 2, a);
	o->role = col_text(st, 3, a);
	o->status = col_text(st, 4, a);
	o->password_hash = col_text(st, 5, a);
	o->suspended_until = sqlite3_column_int64(st, 6);
	o->password_changed_at = sqlite3_column_int64(st, 7);
	o->strikes = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	return o->name ? 0 : WK_ENOMEM;
}

int store_account_by_name(struct store *s, struct arena *a, const char *name,
			  struct store_account *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " ACCOUNT_COLS
				       "WHERE name = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return read_account(st, a, out, "load account");
}

int store_account_get(struct store *s, struct arena *a, int64_t id,
		      struct store_account *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT " ACCOUNT_COLS "WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	return read_account(st, a, out, "load account");
}

int store_account_create(struct store *s, const char *name,
			 const char *display_name, const char *email,
			 const char *role, const char *password_hash,
			 int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO users (name, display_name, role, email, "
		   "password_hash, created_at, password_changed_at) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, display_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	if (email && *email)
		sqlite3_bind_text(st, 4, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, now);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "create account");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_account_set_password(struct store *s, int64_t id,
			       const char *password_hash, int64_t now)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE users SET password_hash = ?, "
				       "password_changed_at = ? WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return stmt_exec(st, "set password");
}

int store_account_set_role(struct store *s, int64_t id, const char *role)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE users SET role = ? "
				       "WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "set role");
}

int store_account_set_status(struct store *s, int64_t id, const char *status,
			     int64_t until)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE users SET status = ?, "
				       "suspended_until = ? WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	bind_id(st, 2, until);
	sqlite3_bind_int64(st, 3, id);
	return stmt_exec(st, "set account status");
}

int store_account_set_avatar(struct store *s, int64_t id,
			     const char *sha256)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE users SET avatar_sha256 = ? "
				       "WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "set avatar");
}

int store_account_set_profile(struct store *s, int64_t id,
			      const char *display_name, const char *bio)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE users SET display_name = ?, "
				       "bio = ? WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, display_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, bio, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	return stmt_exec(st, "set profile");
}

/* ---- sessions ------------------------------------------------------------*/

int store_session_create(struct store *s, const char *token_hash,
			 int64_t user_id, int64_t now, int64_t expires_at,
			 const char *ip, const char *user_agent)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO sessions (token_hash, user_id, created_at, "
		   "last_seen_at, expires_at, ip, user_agent) "
		   "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires_at);
	sqlite3_bind_text(st, 6, ip ? ip : "", -1, SQLITE_STATIC);
	/* At most 200 bytes, cut at a character boundary. */
	{
		const char *ua = user_agent ? user_agent : "";
		size_t n = strlen(ua);
		if (n > 200)
			n = utf8_floor(ua, n, 200);
		sqlite3_bind_text(st, 7, ua, (int)n, SQLITE_STATIC);
	}
	return stmt_exec(st, "create session");
}

int store_session_get(struct store *s, const char *token_hash,
		      struct store_session *out)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT user_id, created_at, "
				       "last_seen_at, expires_at FROM sessions "
				       "WHERE token_hash = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load session");
	out->user_id = sqlite3_column_int64(st, 0);
	out->created_at = sqlite3_column_int64(st, 1);
	out->last_seen_at = sqlite3_column_int64(st, 2);
	out->expires_at = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return 0;
}

int store_session_touch(struct store *s, const char *token_hash,
			int64_t now)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE sessions SET last_seen_at = ? "
				       "WHERE token_hash = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
	return stmt_exec(st, "touch session");
}

int store_session_delete(struct store *s, const char *token_hash)
{
	sqlite3_stmt *st = stmt_get(s, "DELETE FROM sessions "
				       "WHERE token_hash = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	return stmt_exec(st, "end session");
}

int store_session_delete_user(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = stmt_get(s, "DELETE FROM sessions "
				       "WHERE user_id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	return stmt_exec(st, "end sessions");
}

int store_secret(struct store *s, struct arena *a, const char *name,
		 const char *fresh, const char **value)
{
	sqlite3_stmt *st = stmt_get(s, "INSERT INTO secrets (name, value) "
				       "VALUES (?, ?) ON CONFLICT DO NOTHING");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fresh, -1, SQLITE_STATIC);
	if ((rc = stmt_exec(st, "store secret")))
		return rc;
	st = stmt_get(s, "SELECT value FROM secrets WHERE name = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load secret");
	*value = col_text(st, 0, a);
	sqlite3_reset(st);
	return *value ? 0 : WK_ENOMEM;
}

int store_secret_key(struct store *s, const char *name, unsigned char *key,
		     size_t len)
{
	unsigned char fresh[64];
	char hex[2 * sizeof(fresh) + 1];
	struct arena *a;
	const char *value;
	size_t n = 0;
	int rc;

	if (len > sizeof(fresh))
		return WK_EINVAL;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	randombytes_buf(fresh, len);
	sodium_bin2hex(hex, 2 * len + 1, fresh, len);
	rc = store_secret(s, a, name, hex, &value);
	if (!rc && (sodium_hex2bin(key, len, value, strlen(value), NULL, &n,
				   NULL) ||
		    n != len))
		rc = WK_EIO;
	sodium_memzero(fresh, sizeof(fresh));
	sodium_memzero(hex, sizeof(hex));
	arena_free(a);
	return rc;
}

/* ---- single comments -------------------------------------------------------*/

int store_comment_get(struct store *s, struct arena *a, int64_t id,
		      struct store_comment *out, int64_t *doc_id,
		      const char **status)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT c.id, COALESCE(c.parent_id, 0), c.user_id, "
		   "u.display_name, c.body, c.created_at, c.doc_id, c.status "
		   "FROM comments c JOIN users u ON u.id = c.user_id "
		   "WHERE c.id = ?");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "load comment");
	out->id = sqlite3_column_int64(st, 0);
	out->parent_id = sqlite3_column_int64(st, 1);
	out->user_id = sqlite3_column_int64(st, 2);
	out->user_name = col_text(st, 3, a);
	out->body = col_text(st, 4, a);
	out->created_at = sqlite3_column_int64(st, 5);
	*doc_id = sqlite3_column_int64(st, 6);
	*status = col_text(st, 7, a);
	sqlite3_reset(st);
	return 0;
}

int store_comment_set_status(struct store *s, int64_t id, const char *status)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE comments SET status = ? "
				       "WHERE id = ?");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "set comment status");
}

/* ---- API tokens and a provider's uploads -------------------------------------*/

int store_token_add(struct store *s, int64_t user_id, const char *token_hash,
		    const char *name, int64_t *id)
{
	sqlite3_stmt *st = stmt_get(
		s, "INSERT INTO api_tokens (user_id, token_hash, name, "
		   "created_at) VALUES (?, ?, ?, ?) RETURNING id");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return step_error(st, rc, "add token");
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_token_user(struct store *s, const char *token_hash,
		     int64_t *user_id)
{
	sqlite3_stmt *st = stmt_get(s, "SELECT user_id FROM api_tokens "
				       "WHERE token_hash = ? AND "
				       "revoked_at IS NULL");
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return WK_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, "find token");
	*user_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int store_token_revoke(struct store *s, int64_t id)
{
	sqlite3_stmt *st = stmt_get(s, "UPDATE api_tokens SET revoked_at = ? "
				       "WHERE id = ? AND revoked_at IS NULL");
	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_int64(st, 2, id);
	return stmt_exec(st, "revoke token");
}

int store_uploads_of(struct store *s, struct arena *a, int64_t provider_id,
		     int limit, struct store_upload **out, size_t *n)
{
	sqlite3_stmt *st = stmt_get(
		s, "SELECT j.id, j.filename, j.status, COALESCE(j.outcome, ''), "
		   "CASE WHEN d.status IN ('rejected', 'removed') AND "
		   "d.review_note <> '' "
		   "THEN d.review_note ELSE j.reason END, COALESCE(j.doc_id, 0), COALESCE(d.status, ''), "
		   "COALESCE(d.title, ''), j.created_at FROM jobs j "
		   "LEFT JOIN documents d ON d.id = j.doc_id "
		   "WHERE j.provider_id = ? AND j.kind = 'convert' "
		   "ORDER BY j.id DESC LIMIT ?");
	struct store_upload *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	if (!st)
		return WK_EIO;
	sqlite3_bind_int64(st, 1, provider_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(a, v, k, &cap, sizeof(*v));
		if (!v) {
			sqlite3_reset(st);
			return WK_ENOMEM;
		}
		v[k].job_id = sqlite3_column_int64(st, 0);
		v[k].filename = col_text(st, 1, a);
		v[k].status = col_text(st, 2, a);
		v[k].outcome = col_text(st, 3, a);
		v[k].reason = col_text(st, 4, a);
		v[k].doc_id = sqlite3_column_int64(st, 5);
		v[k].doc_status = col_text(st, 6, a);
		v[k].title = col_text(st, 7, a);
		v[k].created_at = sqlite3_column_int64(st, 8);
		k++;
	}
	if (rc != SQLITE_DONE)
		return step_error(st, rc, "list uploads");
	sqlite3_reset(st);
	*out = v;
	*n = k;
	return 0;
}
