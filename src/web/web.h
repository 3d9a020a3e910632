/*
 * web.h - the site: routes that glue http, domain and tpl together.
 *
 * One file per area (pages.c, api.c, assets.c); this header is what the
 * command line sees. web_init() compiles the templates, loads the
 * settings and message catalogues; web_http_config() hands the routes
 * and the error page to the HTTP layer.
 */
#ifndef WK_WEB_H
#define WK_WEB_H

#include <stddef.h>

struct http_config;
struct store;
struct web_app;

/* Build the site on an open store. NULL with a message in err. */
struct web_app *web_init(struct store *s, char *err, size_t errlen);
void web_free(struct web_app *app);
/* Read the settings from the database and put them in force at once
 * (the settings page does after a change). 0 or an error code. */
int web_settings_reload(struct web_app *app);
/* The same when the stored settings differ from those in force (changed
 * by `wenku config set` or another process): cheap, call it every few
 * seconds. */
int web_settings_poll(struct web_app *app);
/* Set cfg's routes, error page and context. */
void web_http_config(struct web_app *app, struct http_config *cfg);

/* A start-up setting the server runs with (value as text; source: the
 * file and line, "command line" or "default"), shown read-only on the
 * console's settings page. Before the server starts; up to
 * WEB_STARTUP_MAX, copied. */
#define WEB_STARTUP_MAX 32
void web_startup_setting(struct web_app *app, const char *name,
			 const char *value, const char *source);

/* The memory downloads being stamped and sent may hold at once, in
 * bytes (default 1 GiB); before the server starts. */
void web_set_download_budget(struct web_app *app, size_t bytes);

#define WEB_METRICS_FROM_MAX 8

/* Let clients in range (CIDR text, "10.0.0.0/8" or one address) read
 * /metrics; loopback may without this. 0, or -1 when it is no range or
 * WEB_METRICS_FROM_MAX are set already. Before the server starts. */
int web_metrics_allow(struct web_app *app, const char *cidr);

/* The conversion pool to wake when an upload is queued (NULL: none; the
 * pool still looks every second). */
struct ingest_pool;
void web_set_ingest_pool(struct ingest_pool *p);

#endif
