/*
 * reports.c - reports and moderation pages: the report form
 * (/d/{id}/report), the provider's counter-notice (/d/{id}/counter), the
 * moderators' report queue (/mod/reports) and comment queue
 * (/mod/comments). The rules are in domain/reports.h and
 * domain/comments.h; every decision is in the audit log.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/audit.h"
#include "../domain/comments.h"
#include "../domain/docs.h"
#include "../domain/perm.h"
#include "../domain/reports.h"
#include "../store/store.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>

#define REPORTS_PER_HOUR_ANON 5		/* per client address */
#define REPORTS_PER_HOUR_USER 10	/* per account */
#define QUEUE_MAX 200

static const char *const reasons[] = { "copyright", "secret", "illegal",
				       "porn", "spam", "other" };
static const char *const rstates[] = { "open", "hidden", "removed",
				       "counter", "dismissed", "restored" };

/* The value of a query parameter if it is one of the n choices, else
 * NULL (so nothing unchecked reaches the query or the page). */
static const char *choice(struct http_req *rq, const char *name,
			  const char *const *choices, size_t n)
{
	const char *v = http_query(rq, name);
	size_t i;

	for (i = 0; v && i < n; i++)
		if (!strcmp(v, choices[i]))
			return choices[i];
	return NULL;
}

static const char *reason_name(struct page *p, const char *reason)
{
	return page_t(p, arena_sprintf(p->a, "reason_%s", reason));
}

void web_comment_rules(struct web_app *app, struct comment_rules *r)
{
	r->pre = !strcmp(web_cfg(app)->comment_moderation, "pre");
	r->blocked_words = web_cfg(app)->blocked_words;
	r->reward = web_cfg(app)->reward_comment;
	r->reward_daily = web_cfg(app)->reward_comment_daily;
}

int web_message(struct http_req *rq, struct http_resp *rs,
		struct web_app *app, int status, const char *title_key,
		const char *text_key)
{
	struct page p;
	int rc;

	if ((rc = page_begin(&p, app, rq, NULL, "/")))
		return web_status(rc);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, title_key));
	tv_set_str(p.a, p.ctx, "message", page_t(&p, text_key));
	tv_set_int(p.a, p.ctx, "status", status);
	rc = page_render(&p, rs, "error");
	rs->status = status;
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

/* ---- the report form -----------------------------------------------------*/

static const char *problem_key(enum report_problem why)
{
	switch (why) {
	case RP_REASON: return "report_err_reason";
	case RP_DETAILS: return "report_err_details";
	case RP_NAME: return "report_err_name";
	case RP_CONTACT: return "report_err_contact";
	case RP_PROOF: return "report_err_proof";
	case RP_OK: break;
	}
	return "report_err_reason";
}

static int report_page(struct http_req *rq, struct http_resp *rs,
		       struct web_app *app, const char *error_key, int status)
{
	const char *sel = http_form(rq, "reason");
	struct tpl_val *list;
	struct store_doc d;
	struct page p;
	int64_t id;
	size_t i;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = page_begin(&p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/d/%lld/report",
					   (long long)id))))
		return web_status(rc);
	if ((rc = store_doc_get(app->store, p.a, id, &d)))
		return web_status(rc);
	if (strcmp(d.status, "published"))
		return 404;
	tv_set(p.a, p.ctx, "doc", web_doc_summary(&p, &d));
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "report_title"));
	/* A visitor's form carries the token of the pre-session cookie. */
	tv_set_str(p.a, p.ctx, "form_csrf", web_pre_csrf(app, rq, rs));
	list = tv_set(p.a, p.ctx, "reasons", tv_list(p.a));
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "value", reasons[i]);
		tv_set_str(p.a, m, "name", reason_name(&p, reasons[i]));
		tv_set_bool(p.a, m, "checked", sel ? !strcmp(sel, reasons[i])
						   : i == 0);
	}
	tv_set_str(p.a, p.ctx, "details", http_form(rq, "details"));
	tv_set_str(p.a, p.ctx, "claimant_name", http_form(rq, "claimant_name"));
	tv_set_str(p.a, p.ctx, "claimant_contact",
		   http_form(rq, "claimant_contact"));
	tv_set_str(p.a, p.ctx, "proof", http_form(rq, "proof"));
	tv_set_bool(p.a, p.ctx, "sent", http_query(rq, "sent") != NULL);
	tv_set_int(p.a, p.ctx, "details_max", REPORT_DETAILS_MAX);
	tv_set_int(p.a, p.ctx, "name_max", REPORT_NAME_MAX);
	tv_set_int(p.a, p.ctx, "contact_max", REPORT_CONTACT_MAX);
	tv_set_int(p.a, p.ctx, "proof_max", REPORT_PROOF_MAX);
	if ((rc = page_sidebar(&p)))
		return web_status(rc);
	return page_render_form(&p, rs, "report", error_key, status);
}

int web_report(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return report_page(rq, rs, ctx, NULL, 200);
}

int web_report_post(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct report_form f;
	enum report_problem why;
	struct auth_user u;
	const char *tok;
	unsigned retry;
	int64_t id, rid;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	/* Anyone may report; a signed-in reporter is recorded. */
	rc = u.id ? auth_allow(app->auth, "report", u.id,
			       REPORTS_PER_HOUR_USER, 3600, &retry)
		  : auth_allow_ip(app->auth, "report", rq->ip,
				  REPORTS_PER_HOUR_ANON, 3600, &retry);
	if (rc) {
		http_resp_header(rs, "Retry-After",
				 arena_sprintf(rq->arena, "%u",
					       retry ? retry : 60));
		return report_page(rq, rs, app, "report_err_rate", 429);
	}
	f.reason = http_form(rq, "reason");
	f.details = http_form(rq, "details");
	f.claimant_name = http_form(rq, "claimant_name");
	f.claimant_contact = http_form(rq, "claimant_contact");
	f.proof = http_form(rq, "proof");
	rc = report_file(app->store, id, u.id, rq->ip, &f, &rid, &why);
	if (rc == WK_EINVAL)
		return report_page(rq, rs, app, problem_key(why), 400);
	if (rc)
		return web_status(rc);
	log_info("report %lld filed on document %lld", (long long)rid,
		 (long long)id);
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/d/%lld/report?sent=1",
					      (long long)id));
}

/* ---- the provider's counter-notice -----------------------------------------*/

static int counter_page(struct http_req *rq, struct http_resp *rs,
			struct web_app *app, const char *error_key, int status)
{
	struct store_report r;
	struct page p;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = page_begin(&p, app, rq, NULL,
			     arena_sprintf(rq->arena, "/d/%lld/counter",
					   (long long)id))))
		return web_status(rc);
	if (!p.user.id)
		return web_redirect(rs, arena_sprintf(rq->arena,
			"/login?next=/d/%lld/counter", (long long)id));
	if (!perm_can(&p.user, PERM_DOC_MINE, 0))
		return 403;
	/* Someone else's document and one not removed answer alike. */
	rc = store_report_latest(app->store, p.a, id, "removed", &r);
	if (rc == WK_ENOTFOUND || (rc == 0 && (r.provider_id != p.user.id ||
					      strcmp(r.doc_status, "removed"))))
		return 404;
	if (rc)
		return web_status(rc);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "counter_title"));
	tv_set_int(p.a, p.ctx, "doc_id", id);
	tv_set_str(p.a, p.ctx, "doc_title", r.doc_title);
	tv_set_str(p.a, p.ctx, "reason", reason_name(&p, r.reason));
	tv_set_str(p.a, p.ctx, "note", r.note);
	tv_set_str(p.a, p.ctx, "removed_at", web_when(p.a, r.decided_at));
	if (r.counter_at) {
		tv_set_str(p.a, p.ctx, "counter_text", r.counter_text);
		tv_set_str(p.a, p.ctx, "counter_at",
			   web_when(p.a, r.counter_at));
	} else {
		tv_set_bool(p.a, p.ctx, "can_counter", true);
		tv_set_int(p.a, p.ctx, "counter_max", REPORT_COUNTER_MAX);
		tv_set_str(p.a, p.ctx, "text", http_form(rq, "text"));
	}
	return page_render_form(&p, rs, "counter", error_key, status);
}

int web_counter_form(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return counter_page(rq, rs, ctx, NULL, 200);
}

int web_counter_post(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct web_app *app = ctx;
	struct auth_user u;
	const char *tok;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!u.id)
		return 403;
	if (!perm_can(&u, PERM_DOC_MINE, 0))
		return 403;
	rc = report_counter(app->store, rq->arena, id, u.id,
			    http_form(rq, "text"));
	if (rc == WK_EINVAL)
		return counter_page(rq, rs, app, "counter_err_text", 400);
	if (rc == WK_ECONFLICT)
		return counter_page(rq, rs, app, "counter_err_sent", 409);
	if (rc)
		return web_status(rc);
	return web_redirect(rs, arena_sprintf(rq->arena, "/d/%lld/counter",
					      (long long)id));
}

/* ---- the moderators' report queue ------------------------------------------*/

/* The signed-in moderator of a GET page at path: 0, a status, or
 * MOD_REDIRECTED when a redirect to sign in is written (the handler
 * then returns 0). */
#define MOD_REDIRECTED 1
static int mod_page(struct page *p, struct web_app *app,
		    struct http_req *rq, struct http_resp *rs,
		    const char *path)
{
	int rc;

	if ((rc = page_begin(p, app, rq, NULL, path)))
		return web_status(rc);
	if (!p->user.id) {
		web_redirect(rs, arena_sprintf(rq->arena, "/login?next=%s",
					       path));
		return MOD_REDIRECTED;
	}
	if (!perm_can(&p->user, PERM_MODERATE, 0))
		return 403;
	return 0;
}

static struct tpl_val *report_map(struct page *p, const struct store_report *r)
{
	struct tpl_val *m = tv_map(p->a);

	tv_set_int(p->a, m, "id", r->id);
	tv_set_int(p->a, m, "doc_id", r->doc_id);
	tv_set_str(p->a, m, "doc_title", r->doc_title);
	tv_set_str(p->a, m, "doc_status",
		   page_t(p, arena_sprintf(p->a, "state_%s", r->doc_status)));
	tv_set_str(p->a, m, "reason", reason_name(p, r->reason));
	tv_set_str(p->a, m, "status",
		   page_t(p, arena_sprintf(p->a, "rstate_%s", r->status)));
	tv_set_str(p->a, m, "reporter", r->reporter_name);
	tv_set_str(p->a, m, "details", r->details);
	tv_set_str(p->a, m, "when", web_when(p->a, r->created_at));
	tv_set_bool(p->a, m, "countered", r->counter_at != 0);
	return m;
}

int web_mod_reports(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	const char *status = choice(rq, "status", rstates,
				    sizeof(rstates) / sizeof(rstates[0]));
	const char *reason = choice(rq, "reason", reasons,
				    sizeof(reasons) / sizeof(reasons[0]));
	struct store_report *r;
	struct tpl_val *list;
	struct page p;
	size_t n, i;
	int rc;

	if ((rc = mod_page(&p, ctx, rq, rs, "/mod/reports")))
		return rc == MOD_REDIRECTED ? 0 : rc;
	if (!http_query(rq, "status"))
		status = "open";	/* the queue: what waits */
	if ((rc = store_report_list(p.app->store, p.a, status, reason,
				    QUEUE_MAX, &r, &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "reports", tv_list(p.a));
	for (i = 0; i < n; i++)
		tv_push(p.a, list, report_map(&p, &r[i]));
	list = tv_set(p.a, p.ctx, "states", tv_list(p.a));
	for (i = 0; i < sizeof(rstates) / sizeof(rstates[0]); i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "value", rstates[i]);
		tv_set_str(p.a, m, "name", page_t(&p, arena_sprintf(
			p.a, "rstate_%s", rstates[i])));
		tv_set_bool(p.a, m, "current",
			    status && !strcmp(status, rstates[i]));
	}
	list = tv_set(p.a, p.ctx, "reasons", tv_list(p.a));
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "value", reasons[i]);
		tv_set_str(p.a, m, "name", reason_name(&p, reasons[i]));
		tv_set_str(p.a, m, "status", status ? status : "");
		tv_set_bool(p.a, m, "current",
			    reason && !strcmp(reason, reasons[i]));
	}
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "report_queue"));
	rc = page_render(&p, rs, "modreports");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

static void add_audit(struct page *p, struct tpl_val *list,
		      const char *type, int64_t id)
{
	struct store_audit *e;
	size_t n, i;

	if (audit_list(p->app->store, p->a, type, id, 50, &e, &n))
		return;
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p->a, list, tv_map(p->a));
		tv_set_str(p->a, m, "when", web_when(p->a, e[i].at));
		tv_set_str(p->a, m, "actor", e[i].actor_name);
		tv_set_str(p->a, m, "action", e[i].action);
		tv_set_str(p->a, m, "before", e[i].before);
		tv_set_str(p->a, m, "after", e[i].after);
		tv_set_str(p->a, m, "note", e[i].note);
	}
}

int web_mod_report(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	struct store_report r;
	struct tpl_val *m;
	struct page p;
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if ((rc = mod_page(&p, ctx, rq, rs,
			   arena_sprintf(rq->arena, "/mod/reports/%lld",
					 (long long)id))))
		return rc == MOD_REDIRECTED ? 0 : rc;
	if ((rc = store_report_get(p.app->store, p.a, id, &r)))
		return web_status(rc);
	m = tv_set(p.a, p.ctx, "report", report_map(&p, &r));
	tv_set_str(p.a, m, "claimant_name", r.claimant_name);
	tv_set_str(p.a, m, "claimant_contact", r.claimant_contact);
	tv_set_str(p.a, m, "proof", r.proof);
	tv_set_str(p.a, m, "note", r.note);
	tv_set_str(p.a, m, "counter_text", r.counter_text);
	if (r.counter_at)
		tv_set_str(p.a, m, "counter_at", web_when(p.a, r.counter_at));
	tv_set_bool(p.a, m, "copyright", !strcmp(r.reason, "copyright"));
	/* Only the actions the report's state allows. */
	tv_set_bool(p.a, p.ctx, "can_dismiss", !strcmp(r.status, "open") ||
						       !strcmp(r.status, "hidden"));
	tv_set_bool(p.a, p.ctx, "can_hide", !strcmp(r.status, "open") &&
						    !strcmp(r.doc_status,
							    "published"));
	tv_set_bool(p.a, p.ctx, "can_remove",
		    (!strcmp(r.status, "open") || !strcmp(r.status, "hidden")) &&
			    (!strcmp(r.doc_status, "published") ||
			     !strcmp(r.doc_status, "hidden")));
	tv_set_bool(p.a, p.ctx, "can_restore",
		    (!strcmp(r.status, "hidden") &&
		     !strcmp(r.doc_status, "hidden")) ||
			    (!strcmp(r.status, "removed") &&
			     !strcmp(r.doc_status, "removed")));
	tv_set_int(p.a, p.ctx, "note_max", REPORT_NOTE_MAX);
	add_audit(&p, tv_set(p.a, p.ctx, "history", tv_list(p.a)),
		  AUDIT_REPORT, r.id);
	add_audit(&p, tv_set(p.a, p.ctx, "doc_history", tv_list(p.a)),
		  AUDIT_DOC, r.doc_id);
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "report_queue"));
	rc = page_render(&p, rs, "modreport");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_mod_report_decide(struct http_req *rq, struct http_resp *rs,
			  void *ctx)
{
	struct web_app *app = ctx;
	struct report_result res;
	enum report_action act;
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
	if (!report_action_parse(http_form(rq, "action"), &act))
		return 400;
	rc = report_decide(app->store, rq->arena, id, act,
			   http_form(rq, "note"), u.id, web_cfg(app)->strike_limit,
			   &res);
	if (rc == WK_EINVAL)
		return web_message(rq, rs, app, 400, "report_queue",
				   "report_err_note");
	if (rc)
		return web_status(rc);
	if (res.suspended)
		log_info("report %lld: provider reached %lld strikes, uploads "
			 "suspended", (long long)id, (long long)res.strikes);
	page_cache_bump();	/* lists and rankings change at once */
	return web_redirect(rs, arena_sprintf(rq->arena, "/mod/reports/%lld",
					      (long long)id));
}

/* ---- the moderators' comment queue -----------------------------------------*/

int web_mod_comments(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	static const char *const cstates[] = { "pending", "visible",
					       "hidden" };
	const char *status = choice(rq, "status", cstates, 3);
	struct store_mod_comment *c;
	struct tpl_val *list;
	struct page p;
	size_t n, i;
	int rc;

	if ((rc = mod_page(&p, ctx, rq, rs, "/mod/comments")))
		return rc == MOD_REDIRECTED ? 0 : rc;
	if (!status)
		status = "pending";
	if ((rc = store_comment_queue(p.app->store, p.a, status, QUEUE_MAX,
				      &c, &n)))
		return web_status(rc);
	list = tv_set(p.a, p.ctx, "comments", tv_list(p.a));
	for (i = 0; i < n; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_int(p.a, m, "id", c[i].c.id);
		tv_set_str(p.a, m, "author", c[i].c.user_name);
		tv_set_str(p.a, m, "body", c[i].c.body);
		tv_set_str(p.a, m, "when", web_when(p.a, c[i].c.created_at));
		tv_set_int(p.a, m, "doc_id", c[i].doc_id);
		tv_set_str(p.a, m, "doc_title", c[i].doc_title);
		tv_set_bool(p.a, m, "can_approve",
			    !strcmp(c[i].status, "pending"));
		tv_set_bool(p.a, m, "can_hide",
			    strcmp(c[i].status, "hidden") != 0);
		tv_set_bool(p.a, m, "can_restore",
			    !strcmp(c[i].status, "hidden"));
	}
	list = tv_set(p.a, p.ctx, "states", tv_list(p.a));
	for (i = 0; i < 3; i++) {
		struct tpl_val *m = tv_push(p.a, list, tv_map(p.a));
		tv_set_str(p.a, m, "value", cstates[i]);
		tv_set_str(p.a, m, "name", page_t(&p, arena_sprintf(
			p.a, "cstate_%s", cstates[i])));
		tv_set_bool(p.a, m, "current", !strcmp(status, cstates[i]));
	}
	tv_set_str(p.a, p.ctx, "status", status);
	tv_set_bool(p.a, p.ctx, "pre", !strcmp(web_cfg(p.app)->comment_moderation,
					       "pre"));
	tv_set_str(p.a, p.ctx, "title", page_t(&p, "comment_queue"));
	rc = page_render(&p, rs, "modcomments");
	http_resp_header(rs, "Cache-Control", "no-store");
	return rc;
}

int web_mod_comment_decide(struct http_req *rq, struct http_resp *rs,
			   void *ctx)
{
	struct web_app *app = ctx;
	struct comment_rules rules;
	enum comment_action act;
	struct auth_user u;
	const char *tok, *back = http_form(rq, "back");
	int64_t id;
	int rc;

	if (docs_parse_id(http_param(rq, "id"), &id))
		return 400;
	if (!web_post_ok(app, rq))
		return 403;
	web_user(app, rq, &u, &tok);
	if (!perm_can(&u, PERM_MODERATE, 0))
		return 403;
	if (!comment_action_parse(http_form(rq, "action"), &act))
		return 400;
	web_comment_rules(app, &rules);
	rc = comment_moderate(app->store, rq->arena, &rules, id, act, u.id);
	if (rc)
		return web_status(rc);
	page_cache_bump();
	if (!back || (strcmp(back, "pending") && strcmp(back, "visible") &&
		      strcmp(back, "hidden")))
		back = "pending";
	return web_redirect(rs, arena_sprintf(rq->arena,
					      "/mod/comments?status=%s", back));
}
