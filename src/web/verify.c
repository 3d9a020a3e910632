/*
 * verify.c - real-name verification pages: an account's request form
 * (/me/verify) and the moderators' queue (/mod/verifications).
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../domain/docs.h"
#include "../domain/perm.h"
#include "../domain/verify.h"
#include "../store/store.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>

static const char *vr_key(enum verify_reason why)
{
	switch (why) {
	case VR_NAME_INVALID: return "verify_name_invalid";
	case VR_ID_INVALID: return "verify_id_invalid";
	case VR_ID_USED: return "verify_id_used";
	case VR_ALREADY: return "verify_already";
	case VR_OK: break;
	}
	return "verify_failed";
}

static int verify_page(struct http_req *rq, struct http_resp *rs,
		       struct web_app *app, const char *error_key, int status)
{
	struct store_verification v;
	struct page p;
	int rc;

	if ((rc = page_begin(&p, app, rq, NULL, "/me/verify")))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, "/login?next=/me/verify");
	if (!perm_can(&p.user, PERM_PROFILE_EDIT, p.user.id))
		return 403;
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "verify_title"));
	rc = store_verification_latest(app->store, p.a, p.user.id, &v);
	if (rc == 0) {
		struct tpl_val *m = tv_set(p.a, p.ctx, "request",
					   tv_map(p.a));
		tv_set_str(p.a, m, "real_name", v.real_name);
		tv_set_str(p.a, m, "id_masked", v.id_masked);
		tv_set_str(p.a, m, "state",
			   page_t(&p, !strcmp(v.status, "approved")
					      ? "verify_approved"
				      : !strcmp(v.status, "rejected")
					      ? "verify_rejected"
					      : "verify_pending"));
		tv_set_str(p.a, m, "reason", v.reason);
		tv_set_bool(p.a, p.ctx, "can_request",
			    !strcmp(v.status, "rejected"));
	} else if (rc == WK_ENOTFOUND) {
		tv_set_bool(p.a, p.ctx, "can_request", true);
	} else {
		return web_status(rc);
	}
	return page_render_form(&p, rs, "verify", error_key, status);
}

int web_verify_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return verify_page(rq, rs, ctx, NULL, 200);
}

int web_verify_request(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	enum verify_reason why;
	struct auth_user u;
	const char *tok;
	int rc;

	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return web_redirect(rs, "/login?next=/me/verify");
	if (!perm_can(&u, PERM_PROFILE_EDIT, u.id))
		return 403;
	rc = verify_request(app->store, u.id, http_form(rq, "real_name"),
			    http_form(rq, "id_number"), &why);
	if (rc == WK_EINVAL || rc == WK_ECONFLICT)
		return verify_page(rq, rs, app, vr_key(why),
				   rc == WK_EINVAL ? 400 : 409);
	if (rc)
		return web_status(rc);
	return web_redirect(rs, "/me/verify");
}

int web_mod_verifications(struct http_req *rq, struct http_resp *rs,
			  void *ctx)
{
	struct store_verification *v;
	struct tpl_val *list;
	struct page p;
	size_t n, i;
	int rc;

	if ((rc = page_begin(&p, ctx, rq, NULL, "/mod/verifications")))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, "/login?next=/mod/verifications");
	if (!perm_can(&p.user, PERM_MODERATE, 0))
		return 403;
	if ((rc = store_verification_pending(p.app->store, p.a, 200, &v, &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "requests", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", v[i].id);
		tv_set_str(p.a, m, "user_name", v[i].user_name);
		tv_set_str(p.a, m, "real_name", v[i].real_name);
		tv_set_str(p.a, m, "id_masked", v[i].id_masked);
	}
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "verify_queue"));
	rc = page_render(&p, rs, "modverify");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_mod_verify_decide(struct http_req *rq, struct http_resp *rs,
			  void *ctx)
{
	struct web_app *app = ctx;
	const char *decision = http_form(rq, "decision");
	struct auth_user u;
	const char *tok;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!perm_can(&u, PERM_MODERATE, 0))
		return 403;
	if (!decision || (strcmp(decision, "approve") &&
			  strcmp(decision, "reject")))
		return 400;
	rc = verify_decide(app->store, id, !strcmp(decision, "approve"),
			   http_form(rq, "reason"), u.id);
	if (rc == WK_ECONFLICT)
		return 409;
	if (rc)
		return web_status(rc);
	page_cache_bump();	/* the badge shows on provider cards */
	return web_redirect(rs, "/mod/verifications");
}
