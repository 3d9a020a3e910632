/* test_webconf.c - versions of the settings in force (web_cfg): a reload
 * puts a new version in force, changes made elsewhere are noticed by
 * their hash, and replaced versions are freed only once they are older
 * than the grace a running request may need (ASan would catch a version
 * freed too soon or twice). */
#include "../harness.h"
#include "../../src/domain/settings.h"
#include "../../src/store/store.h"
#include "../../src/web/web_internal.h"
#include "ledger_util.h"

#include <string.h>

static int64_t fake_now;
static int64_t fake_clock(void) { return fake_now; }

static size_t versions(struct web_app *app)
{
	size_t n = 0;

	for (struct web_conf *c = atomic_load(&app->conf); c; c = c->older)
		n++;
	return n;
}

TEST(settings_versions_reload_and_prune)
{
	char dir[64], err[256];
	struct store *s = open_tmp(dir);
	struct web_app *app;
	const struct site_settings *held;

	CHECK(s != NULL);
	if (!s)
		return;
	app = web_init(s, err, sizeof(err));
	CHECK(app != NULL);
	if (!app) {
		store_close(s);
		rm_tmp(dir);
		return;
	}
	fake_now = 1000;
	web_set_conf_clock(app, fake_clock);
	CHECK(versions(app) == 1);
	CHECK(!strcmp(web_cfg(app)->site_name, "文库"));
	/* Nothing changed: a poll keeps the version in force. */
	CHECK(web_settings_poll(app) == 0 && versions(app) == 1);
	/* A change made elsewhere is noticed; the old version stays
	 * readable for a request that holds it. */
	held = web_cfg(app);
	CHECK(settings_set(s, "site_name", "甲文库", err, sizeof(err)) == 0);
	CHECK(web_settings_poll(app) == 0);
	CHECK(!strcmp(web_cfg(app)->site_name, "甲文库"));
	CHECK(!strcmp(held->site_name, "文库"));
	CHECK(versions(app) == 2);
	CHECK(web_settings_reload(app) == 0 && versions(app) == 3);
	/* Within the grace nothing is freed ... */
	fake_now += WEB_CONF_GRACE_S;
	CHECK(settings_set(s, "slogan", "乙", err, sizeof(err)) == 0);
	CHECK(web_settings_poll(app) == 0 && versions(app) == 4);
	/* ... past it, the two replaced at the start are freed; the one
	 * replaced a second ago, the one just replaced and the one in force
	 * remain. */
	fake_now += 1;
	CHECK(web_settings_reload(app) == 0);
	CHECK(versions(app) == 3);
	CHECK(!strcmp(web_cfg(app)->site_name, "甲文库") &&
	      !strcmp(web_cfg(app)->slogan, "乙"));
	/* Long after: only the one in force and the one it replaced. */
	fake_now += WEB_CONF_GRACE_S + 1;
	CHECK(web_settings_reload(app) == 0 && versions(app) == 2);
	web_free(app);
	store_close(s);
	rm_tmp(dir);
}
