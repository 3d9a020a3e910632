/*
 * fragment.h - 碎片内容: operator-written snippets for named template
 * slots, as plain text or as a limited, sanitized HTML.
 *
 * HTML is parsed with gumbo (the HTML5 algorithm, as a browser would) and
 * written back from an allow-list only: p, br, strong/b, em/i, u, ul, ol,
 * li, h3, h4, blockquote, a (href http(s), mailto or a path on this site;
 * rel="nofollow noopener" added) and img (src a path on this site only;
 * alt). Every other element is dropped with its contents when it can run
 * or load something (script, style, iframe, object, svg, form...) and
 * unwrapped otherwise (its text kept); every other attribute is dropped;
 * text and attribute values are escaped again on output. The sanitized
 * form is what is stored, so a page only ever outputs it.
 */
#ifndef WK_FRAGMENT_H
#define WK_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define FRAGMENT_MAX_INPUT (32 * 1024)	/* bytes an operator may submit */
#define FRAGMENT_MAX_DEPTH 32		/* deeper elements are unwrapped */

/* The slots the templates have. */
extern const char *const fragment_slots[];
extern const size_t fragment_nslots;

/* Is slot one of fragment_slots? */
int fragment_slot_ok(const char *slot);

/* Sanitize html (len bytes) into out. 0, WK_ETOOBIG (input over
 * FRAGMENT_MAX_INPUT), WK_ENOMEM. */
int fragment_sanitize(const char *html, size_t len, struct buf *out);

struct store;

#define FRAGMENT_MAX_TEXT (8 * 1024)	/* bytes of a plain-text fragment */

/* Save slot's fragment by admin_id at now: format "text" (kept as
 * typed, up to FRAGMENT_MAX_TEXT bytes, escaped on output) or "html"
 * (sanitized first; the sanitized form is stored). The change and its
 * audit entry (before and after) are one write transaction. An empty
 * input clears the slot (stored empty). 0, WK_EINVAL (slot, format),
 * WK_ETOOBIG, WK_EIO. */
int fragment_save(struct store *s, const char *slot, const char *format,
		  const char *input, int64_t admin_id, int64_t now);

#endif
