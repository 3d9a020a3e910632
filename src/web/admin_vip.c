/*
 * admin_vip.c - the console's VIP plans (/admin/vip, admins): every
 * plan, on sale or not, with its members; adding a plan, editing one
 * (/admin/vip/{id}) and putting it on or off sale. Plans are never
 * deleted (periods and codes name them); the rules, bounds and audit
 * entries are domain/vip.h's.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/docs.h"
#include "../domain/vip.h"
#include "../store/store.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The plan as typed in the form: a number that is missing (but the
 * position, 0 then) or doesn't parse becomes one out of bounds, so
 * vip_plan_invalid names its field. */
static void plan_from_form(struct http_req *rq, struct store_vip_plan *p)
{
	static const struct {
		const char *name;
		long long bad, missing;
	} f[] = { { "days", 0, 0 }, { "price", 0, 0 }, { "quota", -1, -1 },
		  { "discount", -1, -1 }, { "position", -100000, 0 } };
	long long v[5];
	size_t i;

	for (i = 0; i < 5; i++) {
		const char *s = http_form(rq, f[i].name);
		char *end;
		v[i] = s && *s ? f[i].bad : f[i].missing;
		if (s && *s) {
			long long n = strtoll(s, &end, 10);
			if (!*end && n > -2000000000LL && n < 2000000000LL)
				v[i] = n;
		}
	}
	p->name = http_form(rq, "name") ? http_form(rq, "name") : "";
	p->name_en = http_form(rq, "name_en") ? http_form(rq, "name_en") : "";
	p->days = (int)v[0];
	p->price = v[1];
	p->daily_quota = (int)v[2];
	p->discount = (int)v[3];
	p->position = (int)v[4];
	p->active = http_form(rq, "on_sale") &&
		    !strcmp(http_form(rq, "on_sale"), "1");
}

static struct tpl_val *plan_map(struct page *p, const struct store_vip_plan *v)
{
	struct tpl_val *m = tv_map(p->a);

	tv_set_int(p->a, m, "id", v->id);
	tv_set_str(p->a, m, "name", v->name);
	tv_set_str(p->a, m, "name_en", v->name_en);
	tv_set_int(p->a, m, "days", v->days);
	tv_set_int(p->a, m, "price", v->price);
	tv_set_int(p->a, m, "quota", v->daily_quota);
	tv_set_int(p->a, m, "discount", v->discount);
	tv_set_int(p->a, m, "position", v->position);
	tv_set_bool(p->a, m, "on_sale", v->active);
	return m;
}

/* The typed form again (a refused one), as strings. */
static struct tpl_val *typed_map(struct page *p, struct http_req *rq)
{
	static const char *const names[] = { "name", "name_en", "days",
					     "price", "quota", "discount",
					     "position" };
	struct tpl_val *m = tv_map(p->a);
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		tv_set_str(p->a, m, names[i], http_form(rq, names[i]));
	tv_set_bool(p->a, m, "on_sale", http_form(rq, "on_sale") &&
					      !strcmp(http_form(rq, "on_sale"),
						      "1"));
	return m;
}

/* The list with the add form; error (a field code of vip_plan_invalid,
 * or NULL) refills the add form with what was typed. */
static int plans_page(struct http_req *rq, struct http_resp *rs,
		      struct web_app *app, const char *error, int status)
{
	struct store_vip_plan_use *use;
	struct store_vip_plan *v;
	const char *done = http_query(rq, "done");
	struct tpl_val *list;
	struct page p;
	size_t n, nu, i, k;
	int rc;

	if ((rc = web_console_page(&p, app, rq, rs, "/admin/vip", PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if ((rc = store_read_begin(app->store)))
		return web_status(rc);
	rc = store_vip_plans(app->store, p.a, false, &v, &n);
	if (!rc)
		rc = store_vip_plan_uses(app->store, p.a, (int64_t)time(NULL),
					 &use, &nu);
	store_read_end(app->store);
	if (rc)
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "plans", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, plan_map(&p, &v[i]));
		int64_t members = 0, periods = 0;
		for (k = 0; k < nu; k++)
			if (use[k].plan_id == v[i].id) {
				members = use[k].members;
				periods = use[k].periods;
			}
		tv_set_int(p.a, m, "members", members);
		tv_set_int(p.a, m, "periods", periods);
	}
	if (error) {
		tv_set(p.a, p.ctx, "form", typed_map(&p, rq));
		tv_set_str(p.a, p.ctx, "error_text", page_t(&p, arena_sprintf(
			p.a, "admin_vip_err_%s", error)));
	} else {
		struct tpl_val *m = tv_set(p.a, p.ctx, "form", tv_map(p.a));
		tv_set_str(p.a, m, "quota", "10");
		tv_set_str(p.a, m, "discount", "0");
		tv_set_str(p.a, m, "position", "0");
		tv_set_bool(p.a, m, "on_sale", true);
	}
	if (done && (!strcmp(done, "add") || !strcmp(done, "edit") ||
		     !strcmp(done, "on_sale") || !strcmp(done, "off_sale")))
		tv_set_str(p.a, p.ctx, "done", page_t(&p, arena_sprintf(
			p.a, "admin_vip_done_%s", done)));
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "admin_vip_plans"));
	return page_render_form(&p, rs, "admin_vip", NULL, status);
}

int web_admin_vip(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return plans_page(rq, rs, ctx, NULL, 200);
}

int web_admin_vip_add(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct store_vip_plan plan;
	const char *bad;
	struct auth_user u;
	int64_t id;
	int rc;

	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	memset(&plan, 0, sizeof(plan));
	plan_from_form(rq, &plan);
	if ((bad = vip_plan_invalid(&plan)))
		return plans_page(rq, rs, app, bad, 400);
	if ((rc = vip_plan_create(app->store, u.id, &plan,
				  (int64_t)time(NULL), &id)))
		return web_status(rc);
	page_cache_bump();	/* the VIP page lists the plans */
	log_info("admin %lld: VIP plan %lld added", (long long)u.id,
		 (long long)id);
	return web_redirect(rs, "/admin/vip?done=add");
}

/* The edit form of plan id; error as plans_page. */
static int plan_page(struct http_req *rq, struct http_resp *rs,
		     struct web_app *app, int64_t id, const char *error,
		     int status)
{
	struct store_vip_plan v;
	struct page p;
	int rc;

	if ((rc = web_console_page(&p, app, rq, rs,
			       arena_sprintf(rq->arena, "/admin/vip/%lld",
					     (long long)id), PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	if ((rc = store_vip_plan_get(app->store, p.a, id, &v)))
		return web_status(rc);
	tv_set(p.a, p.ctx, "plan", plan_map(&p, &v));
	if (error) {
		struct tpl_val *m = tv_set(p.a, p.ctx, "form",
					   typed_map(&p, rq));
		tv_set_int(p.a, m, "id", id);
		tv_set_str(p.a, p.ctx, "error_text", page_t(&p, arena_sprintf(
			p.a, "admin_vip_err_%s", error)));
	} else {
		tv_set(p.a, p.ctx, "form", plan_map(&p, &v));
	}
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "admin_vip_plans"));
	return page_render_form(&p, rs, "admin_vip_plan", NULL, status);
}

int web_admin_vip_plan(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	int64_t id;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	return plan_page(rq, rs, ctx, id, NULL, 200);
}

/* action=edit (the form's terms), on_sale or off_sale. */
int web_admin_vip_plan_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx)
{
	struct web_app *app = ctx;
	const char *action = http_form(rq, "action");
	struct store_vip_plan plan;
	struct auth_user u;
	const char *bad;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	if (!action)
		return 400;
	if (!strcmp(action, "edit")) {
		memset(&plan, 0, sizeof(plan));
		plan_from_form(rq, &plan);
		plan.id = id;
		if ((bad = vip_plan_invalid(&plan)))
			return plan_page(rq, rs, app, id, bad, 400);
		rc = vip_plan_update(app->store, u.id, &plan);
	} else if (!strcmp(action, "on_sale") || !strcmp(action, "off_sale")) {
		rc = vip_plan_set_sale(app->store, u.id, id,
				       !strcmp(action, "on_sale"));
		if (rc == WK_ECONFLICT)
			return web_message(rq, rs, app, 409, "admin_vip_plans",
					   "admin_err_conflict");
	} else {
		return 400;
	}
	if (rc)
		return web_status(rc);
	page_cache_bump();
	log_info("admin %lld: VIP plan %lld %s", (long long)u.id,
		 (long long)id, action);
	return web_redirect(rs, arena_sprintf(rq->arena, "/admin/vip?done=%s",
					      action));
}
