/*
 * docs.h - documents: taking one in, and what a reader may see of one.
 *
 * docs_ingest() runs the parser in-process, for trusted files only (the
 * built-in demo library); everything else goes through the sandboxed
 * pipeline (ingest.h), which ends in docs_commit() too. Both record the
 * document and its blocks; the original is kept byte for byte as a blob. docs_view() gathers everything the document page shows,
 * with the preview already cut: callers never see text past the limit.
 */
#ifndef WK_DOCS_H
#define WK_DOCS_H

#include "../store/store.h"
#include "../parse/parse.h"
#include "preview.h"
#include "settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct docs_new {
	const char *filename;	/* only for a fallback title; never a path */
	const char *format;	/* the original's format, when it was
				 * converted first ("doc"); NULL: parsed */
	int64_t category_id;
	int64_t provider_id;
	int price;
	bool vip_free;
	bool publish;		/* published at once (demo, trusted import) */
	const char *tags;	/* the provider's tags (tags.h); NULL: none */
};

/* Record a converted document whose original is blob hex (size bytes).
 * near_dup_of names the document it resembles (0: none); such a
 * document waits for review whatever nd->publish says. Joins a
 * surrounding write transaction. 0 and *id, or a WK_ error with a
 * message in err. */
int docs_commit(struct store *s, const struct parse_result *r,
		const char *hex, size_t size, const struct docs_new *nd,
		int64_t near_dup_of, int64_t *id, char *err, size_t errlen);

/* Take in a trusted file, parsing it in this process. On success returns 0 and sets *id; on failure returns a
 * WK_ error with a message for the uploader in err. */
int docs_ingest(struct store *s, const void *data, size_t len,
		const struct docs_new *nd, int64_t *id, char *err,
		size_t errlen);

struct docs_view {
	struct store_doc doc;
	struct store_user provider;	/* id 0 when the document has none */
	const char *preview_html;	/* wenku's own markup, safe to emit */
	const char *preview_text;	/* watermark on lines of its own */
	struct preview_stats preview;
	struct store_comment *comments;
	size_t ncomments;
	struct store_image *pages;	/* free page images, in order */
	size_t npages;
};

/* Everything a reader may see of a published document. WK_ENOTFOUND for
 * a document that does not exist or is not published. */
int docs_view(struct store *s, struct arena *a,
	      const struct site_settings *cfg, int64_t id,
	      struct docs_view *out);

/* The same for a moderator reviewing an upload: published or pending
 * documents (the public page stays 404 for pending ones). */
int docs_review_view(struct store *s, struct arena *a,
		     const struct site_settings *cfg, int64_t id,
		     struct docs_view *out);

/* The PNG of a free page image (page >= 1) or of the cover (page 0) of
 * a published document, in a malloc'd buffer: only pages within the
 * preview under the current settings. WK_ENOTFOUND otherwise. */
int docs_image(struct store *s, struct arena *a,
	       const struct site_settings *cfg, int64_t id, int page,
	       unsigned char **png, size_t *len);

/* The same for a moderator reviewing an upload (published or pending). */
int docs_review_image(struct store *s, struct arena *a,
		      const struct site_settings *cfg, int64_t id, int page,
		      unsigned char **png, size_t *len);

/* Count a view by a visitor (an opaque string: "u:ID" for an account,
 * else docs_visitor_key()) at Unix time now, once per visitor per
 * document per China day (rank.h). Crawlers are the caller's to filter.
 * Repeated views by the same visitor on the same day are answered from
 * memory without touching the database. */
int docs_count_view(struct store *s, int64_t id, const char *visitor,
		    int64_t now);

#define DOCS_VISITOR_KEY_BYTES 32
/* A visitor key (hex) for a reader who is not signed in: a keyed hash
 * of the China day, the client's address and its user agent. The
 * address itself is never stored. */
void docs_visitor_key(const unsigned char key[DOCS_VISITOR_KEY_BYTES],
		      int day, const char *ip, const char *user_agent,
		      char out[33]);

/* True when the user agent names a known crawler. */
bool docs_is_crawler(const char *user_agent);

/* Parse a document id from a URL segment: decimal, 1..2^53. 0 or
 * WK_EINVAL. */
int docs_parse_id(const char *s, int64_t *id);

#endif
