/*
 * settings.c - the settings table and typed loading of the values.
 */
#include "settings.h"

#include "audit.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct setting_def settings_table[] = {
	{ "site_name", SET_STRING, 1, 40, "文库",
	  "site name, shown in titles and the header", SEC_SITE },
	{ "site_url", SET_STRING, 1, 200, "http://127.0.0.1:8080",
	  "public address of the site, used in canonical links and the "
	  "watermark", SEC_SITE },
	{ "slogan", SET_STRING, 0, 80, "全网资源每日更新",
	  "slogan shown beside the site name", SEC_SITE },
	{ "watermark", SET_STRING, 0, 120, "",
	  "line woven into previews; empty = site name—slogan plus the "
	  "site address", SEC_PREVIEW },
	{ "preview_share", SET_INT, 1, 90, "30",
	  "percent of a document's text readers see free", SEC_PREVIEW },
	{ "preview_min_chars", SET_INT, 0, 20000, "500",
	  "the free preview shows at least this many characters", SEC_PREVIEW },
	{ "watermark_every", SET_INT, 100, 5000, "500",
	  "characters of preview between two watermark lines", SEC_PREVIEW },
	{ "office_page_images", SET_INT, 0, 1, "1",
	  "1: render the free pages of Word, PowerPoint and OpenDocument "
	  "files as images with LibreOffice, when it is installed",
	  SEC_PREVIEW },
	{ "registration", SET_STRING, 4, 6, "open",
	  "open: anyone may sign up at /register and through the API; "
	  "closed: sign-up is refused (accounts are made with `wenku user "
	  "add`)", SEC_POLICY },
	{ "open_uploads", SET_INT, 0, 1, "0",
	  "1: every account may upload; 0: providers only (readers become "
	  "providers through real-name verification)", SEC_POLICY },
	{ "publish_uploads", SET_INT, 0, 1, "0",
	  "1: providers' uploads are published when converted; 0: they "
	  "wait for review", SEC_POLICY },
	{ "upload_max_mb", SET_INT, 1, 200, "100",
	  "largest file a provider may upload, in MiB (also capped by the "
	  "server at 200)", SEC_POLICY },
	{ "session_idle_days", SET_INT, 1, 365, "7",
	  "a sign-in ends after this many days without a visit", SEC_POLICY },
	{ "session_max_days", SET_INT, 1, 365, "30",
	  "a sign-in ends this many days after it began, whatever",
	  SEC_POLICY },
	{ "price_min", SET_INT, 0, 100000, "0",
	  "the lowest price in points a provider may ask for a paid "
	  "document (0, free, is always allowed)", SEC_MONEY },
	{ "price_max", SET_INT, 0, 100000, "1000",
	  "the highest price in points a provider may ask for a document",
	  SEC_MONEY },
	{ "provider_share", SET_INT, 0, 100, "70",
	  "percent of each sale's points that goes to the provider (the "
	  "platform keeps the rest)", SEC_MONEY },
	{ "guest_free_downloads", SET_INT, 0, 1, "0",
	  "1: visitors who are not signed in may download free documents",
	  SEC_MONEY },
	{ "payment_secret", SET_STRING, 0, 128, "",
	  "shared secret of the payment adapter: POST /api/v1/payments/notify "
	  "needs an HMAC-SHA256 of its body with it (at least 16 "
	  "characters; empty: top-ups off)", SEC_MONEY },
	{ "reward_comment", SET_INT, 0, 1000, "2",
	  "points for a comment (taken back if it is deleted; 0: none)",
	  SEC_MONEY },
	{ "reward_comment_daily", SET_INT, 0, 100, "5",
	  "at most this many rewarded comments per account and China day",
	  SEC_MONEY },
	{ "reward_upload", SET_INT, 0, 100000, "10",
	  "points for an upload once its document is published (taken back "
	  "if it is rejected or removed; 0: none)", SEC_MONEY },
	{ "reward_upload_daily", SET_INT, 0, 100, "3",
	  "at most this many rewarded uploads per account and China day",
	  SEC_MONEY },
	{ "reward_register", SET_INT, 0, 100000, "20",
	  "points given once to each new account (0: none)", SEC_MONEY },
	{ "reward_signin", SET_INT, 0, 100000, "5",
	  "points for the daily sign-in, once per day in China time "
	  "(0: sign-in off)", SEC_MONEY },
	{ "contact_label", SET_STRING, 0, 40, "客服微信",
	  "heading of the customer-service box", SEC_CONTACT },
	{ "contact_id", SET_STRING, 0, 80, "wenku-kefu",
	  "customer-service WeChat id shown under the QR code", SEC_CONTACT },
	{ "contact_url", SET_STRING, 0, 300,
	  "https://u.wechat.com/wenku-kefu",
	  "address encoded in the customer-service QR code", SEC_CONTACT },
	{ "license_text", SET_STRING, 1, 2000,
	  "当您付费下载文档后,您只拥有了使用权限,并不意味着购买了版权,"
	  "文档只能用于自身使用,不得用于其他商业用途(如 [转卖]进行直接盈利"
	  "或[编辑后售卖]进行间接盈利)。",
	  "licence terms shown before purchase and stored with each order",
	  SEC_POLICY },
	{ "disclaimer", SET_STRING, 0, 2000,
	  "本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性及"
	  "其观点立场正确性做任何保证或承诺!文档内容仅供研究参考,付费前请"
	  "自行鉴别。",
	  "disclaimer shown on every document page", SEC_POLICY },
	{ "report_text", SET_STRING, 0, 2000,
	  "如文档内容存在违规,或者侵犯商业秘密、侵犯著作权等,请点击"
	  "“违规举报”。",
	  "invitation to report infringing or illegal content", SEC_POLICY },
	{ "strike_limit", SET_INT, 0, 100, "3",
	  "upheld copyright claims (strikes) after which a provider may no "
	  "longer upload; restoring a document lifts its strike (0: never)",
	  SEC_POLICY },
	{ "comment_moderation", SET_STRING, 3, 4, "post",
	  "post: comments show at once, moderators may hide them; pre: "
	  "comments wait for a moderator's approval (and earn their reward "
	  "then)", SEC_POLICY },
	{ "blocked_words", SET_STRING, 0, 4000, "",
	  "words refused in comments, separated by commas or line breaks "
	  "(matched after NFKC and case folding)", SEC_POLICY },
};
const size_t settings_count = sizeof(settings_table) / sizeof(settings_table[0]);

const struct setting_def *settings_find(const char *name)
{
	size_t i;
	for (i = 0; i < settings_count; i++)
		if (!strcmp(settings_table[i].name, name))
			return &settings_table[i];
	return NULL;
}

const char *const settings_sections[SEC_COUNT] = {
	"site", "preview", "money", "policy", "contact",
};

const char *settings_choices(const struct setting_def *d)
{
	if (!strcmp(d->name, "comment_moderation"))
		return "post|pre";
	if (!strcmp(d->name, "registration"))
		return "open|closed";
	return NULL;
}

int settings_validate(const struct setting_def *d, const char *value,
		      char *err, size_t errlen)
{
	if (d->type == SET_INT) {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (end == value || *end || v < d->min || v > d->max) {
			snprintf(err, errlen,
				 "%s must be a whole number from %lld to %lld",
				 d->name, (long long)d->min, (long long)d->max);
			return WK_EINVAL;
		}
		return 0;
	}
	if (settings_choices(d)) {
		const char *c = settings_choices(d);
		size_t n = strlen(value);
		while (c) {
			if (!strncmp(c, value, n) &&
			    (c[n] == '|' || c[n] == '\0') && n)
				return 0;
			c = strchr(c, '|');
			c = c ? c + 1 : NULL;
		}
		snprintf(err, errlen, "%s must be one of %s", d->name,
			 settings_choices(d));
		return WK_EINVAL;
	}
	if (!utf8_valid(value, strlen(value))) {
		snprintf(err, errlen, "%s must be valid UTF-8 text", d->name);
		return WK_EINVAL;
	}
	if (strlen(d->name) > 4 && !strcmp(d->name + strlen(d->name) - 4, "_url") &&
	    value[0] && (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))) {
		snprintf(err, errlen, "%s must start with http:// or https://",
			 d->name);
		return WK_EINVAL;
	}
	if (strpbrk(value, "\r\n") && d->max <= 300) {
		snprintf(err, errlen, "%s must be a single line", d->name);
		return WK_EINVAL;
	}
	{
		size_t n = utf8_count(value, strlen(value));
		if ((int64_t)n < d->min || (int64_t)n > d->max) {
			snprintf(err, errlen,
				 "%s must be %lld to %lld characters long",
				 d->name, (long long)d->min, (long long)d->max);
			return WK_EINVAL;
		}
	}
	return 0;
}

/* The stored value if valid, else the default. */
static const char *value_of(struct store *s, struct arena *a,
			    const char *name);

/* Settings that bound each other: low may not be above high. */
static const struct {
	const char *low, *high;
} ordered[] = {
	{ "price_min", "price_max" },
};

/* The value name would have with the changes names/values applied. */
static long long value_after(struct store *s, struct arena *a,
			     const char *name, const char *const *names,
			     const char *const *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return strtoll(values[i], NULL, 10);
	return strtoll(value_of(s, a, name), NULL, 10);
}

/* The checks between settings, for the changes (each already valid on
 * its own) against the stored values. 0 or WK_EINVAL with a message. */
static int check_between(struct store *s, struct arena *a,
			 const char *const *names, const char *const *values,
			 size_t n, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(ordered) / sizeof(ordered[0]); i++) {
		long long lo = value_after(s, a, ordered[i].low, names, values,
					   n);
		long long hi = value_after(s, a, ordered[i].high, names,
					   values, n);
		if (lo > hi) {
			snprintf(err, errlen, "%s (%lld) may not be above %s "
					      "(%lld)", ordered[i].low, lo,
				 ordered[i].high, hi);
			return WK_EINVAL;
		}
	}
	return 0;
}

int settings_set(struct store *s, const char *name, const char *value,
		 char *err, size_t errlen)
{
	const struct setting_def *d = settings_find(name);
	struct arena *a;
	int rc;

	if (!d) {
		snprintf(err, errlen, "no setting named '%s'", name);
		return WK_EINVAL;
	}
	if ((rc = settings_validate(d, value, err, errlen)))
		return rc;
	if (!(a = arena_new(0)))
		return WK_ENOMEM;
	rc = check_between(s, a, &name, &value, 1, err, errlen);
	arena_free(a);
	return rc ? rc : store_setting_set(s, name, value);
}

const char *settings_value(struct store *s, struct arena *a,
			   const char *name)
{
	return settings_find(name) ? value_of(s, a, name) : NULL;
}

bool settings_secret(const struct setting_def *d)
{
	return strstr(d->name, "secret") != NULL;
}

int settings_save_audited(struct store *s, struct arena *a,
			  const char *const *names, const char *const *values,
			  size_t n, int64_t admin_id, char *err, size_t errlen)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const struct setting_def *d = settings_find(names[i]);
		char why[200];

		if (!d) {
			snprintf(err, errlen, "no setting named '%s'",
				 names[i]);
			return WK_EINVAL;
		}
		if (settings_validate(d, values[i], why, sizeof(why))) {
			snprintf(err, errlen, "%s: %s", names[i], why);
			return WK_EINVAL;
		}
	}
	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = check_between(s, a, names, values, n, err, errlen))) {
		store_write_rollback(s);
		return rc;
	}
	for (i = 0; i < n && !rc; i++) {
		const struct setting_def *d = settings_find(names[i]);
		bool secret = settings_secret(d);
		const char *before = value_of(s, a, names[i]);

		rc = store_setting_set(s, names[i], values[i]);
		if (!rc)
			rc = audit_log(s, admin_id, "setting.set", "setting", 0,
				       secret ? "(secret)" : before,
				       secret ? "(secret)" : values[i],
				       names[i]);
	}
	if (rc) {
		store_write_rollback(s);
		snprintf(err, errlen, "the settings could not be saved");
		return rc;
	}
	return store_write_commit(s);
}

static const char *value_of(struct store *s, struct arena *a,
			    const char *name)
{
	const struct setting_def *d = settings_find(name);
	const char *v;
	char err[200];

	if (store_setting_get(s, a, name, &v) == 0 &&
	    settings_validate(d, v, err, sizeof(err)) == 0)
		return v;
	return d->def;
}

int settings_load(struct store *s, struct arena *a,
		  struct site_settings *o)
{
	o->site_name = value_of(s, a, "site_name");
	o->site_url = value_of(s, a, "site_url");
	o->slogan = value_of(s, a, "slogan");
	o->watermark = value_of(s, a, "watermark");
	if (!o->watermark[0]) {
		const char *host = strstr(o->site_url, "://");
		host = host ? host + 3 : o->site_url;
		o->watermark = arena_sprintf(a, "%s—%s %s", o->site_name,
					     o->slogan, host);
		if (!o->watermark)
			return WK_ENOMEM;
	}
	o->preview_share = atoi(value_of(s, a, "preview_share"));
	o->preview_min_chars = atoi(value_of(s, a, "preview_min_chars"));
	o->watermark_every = atoi(value_of(s, a, "watermark_every"));
	o->office_page_images = atoi(value_of(s, a, "office_page_images"));
	o->session_idle_days = atoi(value_of(s, a, "session_idle_days"));
	o->publish_uploads = atoi(value_of(s, a, "publish_uploads"));
	o->open_uploads = atoi(value_of(s, a, "open_uploads"));
	o->upload_max_mb = atoi(value_of(s, a, "upload_max_mb"));
	o->session_max_days = atoi(value_of(s, a, "session_max_days"));
	o->price_max = atoi(value_of(s, a, "price_max"));
	o->price_min = atoi(value_of(s, a, "price_min"));
	o->registration_open = strcmp(value_of(s, a, "registration"),
				      "closed") != 0;
	o->provider_share = atoi(value_of(s, a, "provider_share"));
	o->guest_free_downloads = atoi(value_of(s, a, "guest_free_downloads"));
	o->payment_secret = value_of(s, a, "payment_secret");
	o->reward_comment = atoi(value_of(s, a, "reward_comment"));
	o->reward_comment_daily = atoi(value_of(s, a, "reward_comment_daily"));
	o->reward_register = atoi(value_of(s, a, "reward_register"));
	o->reward_upload = atoi(value_of(s, a, "reward_upload"));
	o->reward_upload_daily = atoi(value_of(s, a, "reward_upload_daily"));
	o->reward_signin = atoi(value_of(s, a, "reward_signin"));
	o->contact_label = value_of(s, a, "contact_label");
	o->contact_id = value_of(s, a, "contact_id");
	o->contact_url = value_of(s, a, "contact_url");
	o->license_text = value_of(s, a, "license_text");
	o->disclaimer = value_of(s, a, "disclaimer");
	o->report_text = value_of(s, a, "report_text");
	o->strike_limit = atoi(value_of(s, a, "strike_limit"));
	o->comment_moderation = value_of(s, a, "comment_moderation");
	o->blocked_words = value_of(s, a, "blocked_words");
	return 0;
}
