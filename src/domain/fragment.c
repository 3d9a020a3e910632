/*
 * fragment.c - sanitized HTML fragments (fragment.h).
 */
#include "fragment.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../store/store.h"
#include "../tpl/tpl.h"
#include "audit.h"

#include <gumbo.h>
#include <string.h>
#include <strings.h>

const char *const fragment_slots[] = { "doc_notice", "home_banner",
				       "sidebar", "footer" };
const size_t fragment_nslots =
	sizeof(fragment_slots) / sizeof(fragment_slots[0]);

int fragment_slot_ok(const char *slot)
{
	size_t i;

	for (i = 0; slot && i < fragment_nslots; i++)
		if (!strcmp(slot, fragment_slots[i]))
			return 1;
	return 0;
}

/* Elements kept (with their allowed attributes handled below). */
static int allowed(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_P: case GUMBO_TAG_BR: case GUMBO_TAG_STRONG:
	case GUMBO_TAG_B: case GUMBO_TAG_EM: case GUMBO_TAG_I:
	case GUMBO_TAG_U: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
	case GUMBO_TAG_LI: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_A: case GUMBO_TAG_IMG:
		return 1;
	default:
		return 0;
	}
}

/* Elements dropped with everything inside: they run, load or hide
 * things, and their text is not meant to be read. */
static int dropped(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SVG:
	case GUMBO_TAG_MATH: case GUMBO_TAG_FORM: case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_SELECT: case GUMBO_TAG_TITLE: case GUMBO_TAG_HEAD:
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_CANVAS:
	case GUMBO_TAG_FRAME: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_APPLET:
	case GUMBO_TAG_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

/* A path on this site: "/x..." but not "//host" or "/\host". */
static int site_path(const char *v)
{
	return v[0] == '/' && v[1] != '/' && v[1] != '\\';
}

/* An href a reader may follow. */
static int href_ok(const char *v)
{
	size_t i;

	for (i = 0; v[i]; i++)	/* no control characters or spaces */
		if ((unsigned char)v[i] <= 0x20 || v[i] == 0x7f)
			return 0;
	return site_path(v) || !strncasecmp(v, "https://", 8) ||
	       !strncasecmp(v, "http://", 7) || !strncasecmp(v, "mailto:", 7);
}

/* An image source: only this site's own files (no tracking pixels, no
 * mixed content). */
static int src_ok(const char *v)
{
	size_t i;

	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] <= 0x20 || v[i] == 0x7f || v[i] == '\\')
			return 0;
	return site_path(v);
}

static void attr(struct buf *out, const char *name, const char *value)
{
	buf_addc(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	tpl_escape(out, value, strlen(value));
	buf_addc(out, '"');
}

static void walk(const GumboNode *n, struct buf *out, int depth);

static void children(const GumboVector *v, struct buf *out, int depth)
{
	unsigned i;

	for (i = 0; i < v->length; i++)
		walk(v->data[i], out, depth);
}

static void walk(const GumboNode *n, struct buf *out, int depth)
{
	const GumboElement *e;
	const GumboAttribute *a = NULL;
	const char *name;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_WHITESPACE:
	case GUMBO_NODE_CDATA:
		tpl_escape(out, n->v.text.text, strlen(n->v.text.text));
		return;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		break;
	default:	/* comments, the document */
		if (n->type == GUMBO_NODE_DOCUMENT)
			children(&n->v.document.children, out, depth);
		return;
	}
	e = &n->v.element;
	if (e->tag_namespace != GUMBO_NAMESPACE_HTML || dropped(e->tag))
		return;
	if (!allowed(e->tag) || depth >= FRAGMENT_MAX_DEPTH) {
		children(&e->children, out, depth + 1);	/* unwrap */
		return;
	}
	name = gumbo_normalized_tagname(e->tag);
	if (e->tag == GUMBO_TAG_IMG) {
		a = gumbo_get_attribute(&e->attributes, "src");
		if (!a || !src_ok(a->value))
			return;	/* no image at all */
	}
	buf_addc(out, '<');
	buf_adds(out, name);
	if (e->tag == GUMBO_TAG_A) {
		a = gumbo_get_attribute(&e->attributes, "href");
		if (a && href_ok(a->value))
			attr(out, "href", a->value);
		buf_adds(out, " rel=\"nofollow noopener\"");
	} else if (e->tag == GUMBO_TAG_IMG) {
		attr(out, "src", a->value);
		a = gumbo_get_attribute(&e->attributes, "alt");
		attr(out, "alt", a ? a->value : "");
	}
	buf_addc(out, '>');
	if (e->tag == GUMBO_TAG_BR || e->tag == GUMBO_TAG_IMG)
		return;	/* void elements */
	children(&e->children, out, depth + 1);
	buf_adds(out, "</");
	buf_adds(out, name);
	buf_addc(out, '>');
}

int fragment_sanitize(const char *html, size_t len, struct buf *out)
{
	GumboOptions o = kGumboDefaultOptions;
	GumboOutput *g;

	if (len > FRAGMENT_MAX_INPUT)
		return WK_ETOOBIG;
	o.fragment_context = GUMBO_TAG_DIV;
	o.max_errors = 100;
	g = gumbo_parse_with_options(&o, html, len);
	if (!g)
		return WK_ENOMEM;
	walk(g->root, out, 0);
	gumbo_destroy_output(&o, g);
	return buf_error(out);
}

int fragment_save(struct store *s, const char *slot, const char *format,
		  const char *input, int64_t admin_id, int64_t now)
{
	const char *old_format = "", *old = "";
	struct arena *a;
	struct buf clean;
	const char *content = input;
	int html, rc;

	if (!fragment_slot_ok(slot) || !format || !input)
		return WK_EINVAL;
	html = !strcmp(format, "html");
	if (!html && strcmp(format, "text"))
		return WK_EINVAL;
	if (!html && strlen(input) > FRAGMENT_MAX_TEXT)
		return WK_ETOOBIG;
	buf_init(&clean, 0);
	if (html) {
		if ((rc = fragment_sanitize(input, strlen(input), &clean))) {
			buf_release(&clean);
			return rc;
		}
		content = buf_str(&clean);
	}
	if (!(a = arena_new(0))) {
		buf_release(&clean);
		return WK_ENOMEM;
	}
	if ((rc = store_write_begin(s)))
		goto out;
	rc = store_fragment_read(s, a, slot, &old_format, &old);
	if (rc == WK_ENOTFOUND)
		rc = 0;
	if (!rc)
		rc = store_fragment_write(s, slot, format, content, admin_id, now);
	if (!rc)
		rc = audit_log(s, admin_id, "fragment.set", "fragment", 0, old,
			       content, arena_sprintf(a, "%s (%s)", slot,
						      format));
	if (rc)
		store_write_rollback(s);
	else
		rc = store_write_commit(s);
out:
	arena_free(a);
	buf_release(&clean);
	return rc;
}
