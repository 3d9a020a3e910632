/*
 * settings.c - the console's settings page (/admin/settings, admins):
 * every setting of the settings table with its help, bounds and default,
 * saved all or nothing with an audit entry each (domain/settings.h),
 * and below them, read-only, the start-up settings the server runs with
 * and where each came from.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/settings.h"

#include <string.h>

/* ---- settings ------------------------------------------------------------*/

#define SETTINGS_MAX 128

/* The settings form, from the settings table: each with its help, bounds
 * and default; secrets never shown. form_values (may be NULL) refill a
 * refused form. */
static int settings_page(struct http_req *rq, struct http_resp *rs,
			 struct web_app *app, const char *error, int status)
{
	struct tpl_val *sections, *list[SEC_COUNT];
	struct page p;
	size_t i;
	int rc;

	if ((rc = web_console_page(&p, app, rq, rs, "/admin/settings",
			       PERM_ADMIN)))
		return rc == WEB_CONSOLE_REDIRECTED ? 0 : rc;
	/* What the server started with: changed in its file, in force at
	 * the next start. */
	{
		struct tpl_val *st = tv_set(p.a, p.ctx, "startup",
					    tv_list(p.a));
		for (i = 0; i < app->nstartup; i++) {
			struct tpl_val *m = tv_push(p.a, st, tv_map(p.a));
			tv_set_str(p.a, m, "name", app->startup[i].name);
			tv_set_str(p.a, m, "value", app->startup[i].value);
			tv_set_str(p.a, m, "source", app->startup[i].source);
		}
		tv_set_bool(p.a, p.ctx, "has_startup", app->nstartup > 0);
	}
	/* One table per section, in the sections' order. */
	sections = tv_set(p.a, p.ctx, "sections", tv_list(p.a));
	for (i = 0; i < SEC_COUNT; i++) {
		struct tpl_val *sec = tv_push(p.a, sections, tv_map(p.a));
		tv_set_str(p.a, sec, "id", settings_sections[i]);
		tv_set_str(p.a, sec, "name", page_t(&p, arena_sprintf(
			p.a, "settings_sec_%s", settings_sections[i])));
		list[i] = tv_set(p.a, sec, "settings", tv_list(p.a));
	}
	for (i = 0; i < settings_count; i++) {
		const struct setting_def *d = &settings_table[i];
		struct tpl_val *m = tv_push(p.a, list[d->section],
					    tv_map(p.a));
		const char *v = settings_value(app->store, p.a, d->name);
		const char *typed = http_form(rq, d->name);

		tv_set_str(p.a, m, "name", d->name);
		tv_set_str(p.a, m, "help", d->help);
		tv_set_bool(p.a, m, "int", d->type == SET_INT);
		tv_set_int(p.a, m, "min", d->min);
		tv_set_int(p.a, m, "max", d->max);
		tv_set_str(p.a, m, "def", d->def);
		if (settings_secret(d)) {
			tv_set_bool(p.a, m, "secret", true);
			tv_set_bool(p.a, m, "is_set", v && *v);
		} else {
			tv_set_str(p.a, m, "value", error && typed ? typed : v);
		}
		if (settings_choices(d)) {
			/* A choice ("post|pre") as a select of its values. */
			const char *c = settings_choices(d), *bar;
			const char *cur = error && typed ? typed : v;
			struct tpl_val *ch = tv_set(p.a, m, "choices",
						    tv_list(p.a));
			tv_set_bool(p.a, m, "has_choices", true);
			for (; c; c = bar ? bar + 1 : NULL) {
				struct tpl_val *o = tv_push(p.a, ch,
							    tv_map(p.a));
				const char *one;
				bar = strchr(c, '|');
				one = bar ? arena_strndup(p.a, c,
							  (size_t)(bar - c))
					  : c;
				tv_set_str(p.a, o, "choice", one);
				tv_set_bool(p.a, o, "chosen", one && cur &&
							       !strcmp(one, cur));
			}
		}
	}
	if (http_query(rq, "saved"))
		tv_set_bool(p.a, p.ctx, "saved", true);
	if (error)
		tv_set_str(p.a, p.ctx, "error_text", error);
	return page_render_form(&p, rs, "admin_settings", NULL, status);
}

int web_admin_settings(struct http_req *rq, struct http_resp *rs, void *ctx)
{
	return settings_page(rq, rs, ctx, NULL, 200);
}

/* Save the fields that changed (an empty secret field keeps the
 * secret); all or nothing. */
int web_admin_settings_post(struct http_req *rq, struct http_resp *rs,
			    void *ctx)
{
	struct web_app *app = ctx;
	const char *names[SETTINGS_MAX], *values[SETTINGS_MAX];
	struct auth_user u;
	char err[300] = "";
	size_t i, n = 0;
	int rc;

	if ((rc = web_console_post(app, rq, &u, PERM_ADMIN)))
		return rc;
	for (i = 0; i < settings_count && n < SETTINGS_MAX; i++) {
		const struct setting_def *d = &settings_table[i];
		const char *typed = http_form(rq, d->name);
		const char *cur = settings_value(app->store, rq->arena, d->name);

		if (!typed || (settings_secret(d) && !*typed) ||
		    (cur && !strcmp(cur, typed)))
			continue;
		names[n] = d->name;
		values[n++] = typed;
	}
	rc = n ? settings_save_audited(app->store, rq->arena, names, values,
				       n, u.id, err, sizeof(err))
	       : 0;
	if (rc == WK_EINVAL)
		return settings_page(rq, rs, app, err, 400);
	if (rc)
		return web_status(rc);
	log_info("admin %lld: %zu settings changed", (long long)u.id, n);
	if (n && web_settings_reload(app))
		log_error("settings saved but not read back: they come into "
			  "force at the next check");
	return web_redirect(rs, "/admin/settings?saved=1");
}

void web_startup_setting(struct web_app *app, const char *name,
			 const char *value, const char *source)
{
	if (app->nstartup == WEB_STARTUP_MAX)
		return;
	app->startup[app->nstartup].name = arena_strdup(app->perm, name);
	app->startup[app->nstartup].value = arena_strdup(app->perm, value);
	app->startup[app->nstartup].source = arena_strdup(app->perm, source);
	app->nstartup++;
}
