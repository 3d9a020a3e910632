/*
 * admin_sessions.c - an account's sign-ins on its console page
 * (/admin/users/{id}): the live sessions (when made, last seen, address
 * and browser as stored — never the token) and the API tokens (their
 * names), for the "end all sessions" action (domain/admin.h).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../store/store.h"

#include <time.h>

int web_admin_user_sessions(struct page *p, int64_t id)
{
	struct store_admin_session *s;
	struct store_admin_token *t;
	struct tpl_val *list;
	size_t n, i;
	int rc;

	if ((rc = store_admin_sessions(p->app->store, p->a, id,
				       (int64_t)time(NULL), 100, &s, &n)))
		return rc;
	list = tv_set(p->a, p->ctx, "sessions", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "created", web_when(p->a, s[i].created_at));
		tv_set_str(p->a, m, "seen", web_when(p->a, s[i].last_seen_at));
		tv_set_str(p->a, m, "expires", web_when(p->a, s[i].expires_at));
		tv_set_str(p->a, m, "ip", s[i].ip);
		tv_set_str(p->a, m, "ua", s[i].user_agent);
	}
	tv_set_int(p->a, p->ctx, "session_count", (int64_t)n);
	if ((rc = store_admin_tokens(p->app->store, p->a, id, 100, &t, &n)))
		return rc;
	tv_set_bool(p->a, p->ctx, "has_tokens", n > 0);
	list = tv_set(p->a, p->ctx, "tokens", tv_list(p->a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_int(p->a, m, "id", t[i].id);
		tv_set_str(p->a, m, "name", t[i].name);
		tv_set_str(p->a, m, "created", web_when(p->a, t[i].created_at));
		if (t[i].revoked_at)
			tv_set_str(p->a, m, "revoked",
				   web_when(p->a, t[i].revoked_at));
	}
	return 0;
}
