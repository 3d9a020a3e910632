/*
 * settings.h - the site's settings, declared once in a table.
 *
 * Each setting has a name, a type, bounds, a default and a help line; the
 * table drives validation, `wenku config --help` and the sample
 * configuration (`wenku config sample`, etc/wenku-settings.sh). Values
 * live in the database (settings table) and fall back to the defaults.
 * The struct
 * below is a typed snapshot, loaded per request (cheap: one small query
 * per value that is set) or cached by the caller.
 */
#ifndef WK_SETTINGS_H
#define WK_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;

enum setting_type { SET_STRING, SET_INT };

/* Where a setting is shown on the console's settings page. */
enum setting_section {
	SEC_SITE, SEC_PREVIEW, SEC_MONEY, SEC_POLICY, SEC_CONTACT, SEC_COUNT
};
/* The sections' names ("site", "preview", ...), in page order. */
extern const char *const settings_sections[SEC_COUNT];

struct setting_def {
	const char *name;
	enum setting_type type;
	int64_t min, max;	/* value bounds, or length bounds for strings */
	const char *def;
	const char *help;
	enum setting_section section;
};

extern const struct setting_def settings_table[];
extern const size_t settings_count;

struct site_settings {
	const char *site_name;		/* 文库 */
	const char *site_url;		/* https://wenku.example.com */
	const char *slogan;		/* 全网资源每日更新 */
	const char *watermark;		/* woven into previews */
	int preview_share;		/* percent of the text shown free */
	int preview_min_chars;		/* ... but at least this many */
	int watermark_every;		/* characters between watermarks */
	int office_page_images;		/* render Office pages (LibreOffice) */
	int session_idle_days;
	int publish_uploads;		/* uploads published when converted */
	int open_uploads;		/* every account may upload */
	int upload_max_mb;
	int session_max_days;
	int price_max;			/* highest price a provider may ask */
	int price_min;			/* lowest non-zero price (0: free) */
	bool registration_open;		/* registration: open (or closed) */
	int provider_share;		/* percent of a sale to the provider */
	int guest_free_downloads;	/* guests may download free docs */
	const char *payment_secret;	/* HMAC key of top-up notifications */
	int reward_comment;		/* points for a comment */
	int reward_comment_daily;	/* rewarded comments per day */
	int reward_upload;		/* points for a published upload */
	int reward_upload_daily;	/* rewarded uploads per day */
	int reward_register;		/* points for a new account */
	int reward_signin;		/* points for the daily sign-in */
	const char *contact_label;	/* 客服微信 */
	const char *contact_id;		/* the WeChat id shown */
	const char *contact_url;	/* encoded in the QR code */
	const char *license_text;	/* shown before purchase */
	const char *disclaimer;
	const char *report_text;
	int strike_limit;		/* upheld copyright claims that
					 * suspend uploads (0: never) */
	const char *comment_moderation;	/* post or pre */
	const char *blocked_words;	/* refused in comments */
};

/* Look a setting up by name; NULL if there is none. */
const struct setting_def *settings_find(const char *name);
/* The values a text setting may take ("post|pre"), or NULL for any. */
const char *settings_choices(const struct setting_def *d);
/* Check value against the definition: 0 or WK_EINVAL with a message. */
int settings_validate(const struct setting_def *d, const char *value,
		      char *err, size_t errlen);
/* Store a validated value. 0, WK_EINVAL (message in err) or WK_EIO. */
int settings_set(struct store *s, const char *name, const char *value,
		 char *err, size_t errlen);
/* A setting's current value (stored if valid, else its default); NULL
 * for an unknown name. */
const char *settings_value(struct store *s, struct arena *a,
			   const char *name);
/* A secret's value is never shown or logged. */
bool settings_secret(const struct setting_def *d);
/* Store n settings at once for an admin: all validated first (nothing
 * stored when one fails, with why in err), then stored with an audit
 * entry each (secrets as "(secret)") in one write transaction. */
int settings_save_audited(struct store *s, struct arena *a,
			  const char *const *names, const char *const *values,
			  size_t n, int64_t admin_id, char *err, size_t errlen);

/* Fill out with every setting's current value (strings in the arena). */
int settings_load(struct store *s, struct arena *a,
		  struct site_settings *out);

#endif
