/*
 * tpl.c - compiling templates into flat node arrays, and rendering them.
 *
 * A template compiles once into an array of nodes: text, escaped variable,
 * raw variable, section, inverted section, partial. A section node records
 * the index just past its body, so its body is nodes[i + 1 .. end) and no
 * closing node is needed. Text and names point into the template's own copy
 * of its source, and dotted names are split into segments at compile time.
 *
 * Rendering is a walk over that array that recurses only into section
 * bodies and partials. It allocates nothing: the context stack is a chain
 * of frames living in the C stack of the walk, and output goes straight
 * into the caller's buffer, whose sticky error stops the walk.
 *
 * Bounds: a template's source is at most 1 MiB, sections nest at most 64
 * deep, and partials include each other at most 16 deep while rendering,
 * so the walk's recursion is bounded whatever the templates say.
 */
#include "tpl_internal.h"

#include "../base/asset.h"
#include "../base/buf.h"
#include "../base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TPL_MAX_SIZE ((size_t)1 << 20)
#define TPL_MAX_NEST 64
#define TPL_MAX_PARTIAL_DEPTH 16
#define TPL_DIR "templates/"
#define TPL_EXT ".html"

enum tpl_op { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };

/* One component of a dotted name, pointing into the template source. */
struct seg {
	const char *s;
	uint32_t n;
};

struct node {
	uint8_t op;
	uint32_t line;		/* where the tag starts, for messages */
	uint32_t end;		/* sections: index just past the body */
	uint32_t seg, nseg;	/* names: segments[seg..seg+nseg); 0 is "." */
	uint32_t partial;	/* partials: template index, once resolved */
	const char *text;	/* text: the bytes; partials: the name */
	size_t len;
};

struct tpl {
	char *name;
	char *src;		/* private copy; nodes point into it */
	struct node *nodes;
	uint32_t nnodes, capnodes;
	struct seg *segs;
	uint32_t nsegs, capsegs;
};

struct tpl_set {
	struct tpl *tpls;
	size_t n, cap;
};

/* ---------------------------------------------------------------- errors */

/* Write "templates/NAME.html:LINE: problem" into err and return rc. */
__attribute__((format(printf, 6, 7))) static int
tpl_fail(char *err, size_t errlen, int rc, const char *name, uint32_t line,
	 const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return rc;
	n = snprintf(err, errlen, TPL_DIR "%s" TPL_EXT ":%u: ", name,
		     (unsigned)line);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Names quoted in messages are cut short: a runaway tag can be long. */
#define QLEN(n) ((int)((n) > 60 ? 60 : (n)))

/* -------------------------------------------------------------- compiler */

struct comp {
	struct tpl *t;
	char *err;
	size_t errlen;
};

static int tpl_oom(struct comp *c, uint32_t line)
{
	return tpl_fail(c->err, c->errlen, WK_ENOMEM, c->t->name, line,
			"out of memory");
}

/* Append a zeroed node; NULL when out of memory. The pointer is only good
 * until the next call, so callers keep indices, not pointers. */
static struct node *tpl_add_node(struct tpl *t, enum tpl_op op, uint32_t line)
{
	struct node *nd;

	if (t->nnodes == t->capnodes) {
		uint32_t cap = t->capnodes ? t->capnodes * 2 : 32;
		nd = realloc(t->nodes, cap * sizeof(*nd));
		if (!nd)
			return NULL;
		t->nodes = nd;
		t->capnodes = cap;
	}
	nd = &t->nodes[t->nnodes++];
	memset(nd, 0, sizeof(*nd));
	nd->op = (uint8_t)op;
	nd->line = line;
	return nd;
}

static int tpl_add_seg(struct tpl *t, const char *s, size_t n)
{
	if (t->nsegs == t->capsegs) {
		uint32_t cap = t->capsegs ? t->capsegs * 2 : 16;
		struct seg *p = realloc(t->segs, cap * sizeof(*p));
		if (!p)
			return WK_ENOMEM;
		t->segs = p;
		t->capsegs = cap;
	}
	t->segs[t->nsegs].s = s;
	t->segs[t->nsegs].n = (uint32_t)n;
	t->nsegs++;
	return 0;
}

/* Letters, digits, '_', '-' and any byte of a multi-byte UTF-8 sequence.
 * Anything else in a name (a space, a brace, a quote) is a typo worth a
 * compile error rather than a silently empty value. */
static int tpl_name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch >= 0x80;
}

static int tpl_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static uint32_t tpl_count_lines(const char *s, size_t n)
{
	const char *end = s + n;
	uint32_t k = 0;

	while ((s = memchr(s, '\n', (size_t)(end - s)))) {
		k++;
		s++;
	}
	return k;
}

/* Split the name s (n bytes, n > 0) into segments for node nd (by index).
 * "." alone is the current item. Returns 0, WK_EINVAL for a malformed name
 * (empty component, bad character) or WK_ENOMEM. */
static int tpl_parse_name(struct tpl *t, uint32_t nd, const char *s, size_t n)
{
	uint32_t first = t->nsegs, count = 0;
	size_t i, start = 0;

	if (n == 1 && s[0] == '.')
		goto done;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!tpl_name_char((unsigned char)s[i]))
				return WK_EINVAL;
			continue;
		}
		if (i == start)
			return WK_EINVAL;
		if (tpl_add_seg(t, s + start, i - start))
			return WK_ENOMEM;
		count++;
		start = i + 1;
	}
done:
	t->nodes[nd].seg = first;
	t->nodes[nd].nseg = count;
	return 0;
}

/* Partial names are template names: name characters, dots and slashes. */
static int tpl_partial_name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tpl_name_char((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '/')
			return 0;
	return 1;
}

/* Add a variable or section node named s (n bytes) with the usual checks. */
static int tpl_named_node(struct comp *c, enum tpl_op op, uint32_t line,
			  const char *s, size_t n)
{
	struct tpl *t = c->t;
	int rc;

	if (n == 0)
		return tpl_fail(c->err, c->errlen, WK_EINVAL, t->name, line,
				"empty name");
	if (!tpl_add_node(t, op, line))
		return tpl_oom(c, line);
	rc = tpl_parse_name(t, t->nnodes - 1, s, n);
	if (rc == WK_ENOMEM)
		return tpl_oom(c, line);
	if (rc)
		return tpl_fail(c->err, c->errlen, rc, t->name, line,
				"bad name '%.*s'", QLEN(n), s);
	return 0;
}

struct open_section {
	uint32_t node, line;
	const char *name;
	size_t len;
};

/* Compile t->src (n bytes) into t->nodes. */
static int tpl_compile(struct comp *c, size_t n)
{
	struct tpl *t = c->t;
	const char *p = t->src, *end = t->src + n;
	struct open_section open[TPL_MAX_NEST];
	uint32_t line = 1, depth = 0;
	int rc;

	while (p < end) {
		const char *tag = memmem(p, (size_t)(end - p), "{{", 2);
		const char *s, *e, *close;
		uint32_t tagline;
		size_t dlen;
		struct node *nd;
		char sigil;

		if (!tag)
			tag = end;
		if (tag > p) {
			nd = tpl_add_node(t, OP_TEXT, line);
			if (!nd)
				return tpl_oom(c, line);
			nd->text = p;
			nd->len = (size_t)(tag - p);
			line += tpl_count_lines(p, nd->len);
		}
		if (tag == end)
			break;

		tagline = line;
		dlen = tag + 2 < end && tag[2] == '{' ? 3 : 2;
		s = tag + dlen;
		/* "}}}" for a raw tag, its first two bytes otherwise */
		close = memmem(s, (size_t)(end - s), "}}}", dlen);
		if (!close)
			return tpl_fail(c->err, c->errlen, WK_EINVAL, t->name,
					tagline, "unterminated tag '{{'");
		p = close + dlen;
		line += tpl_count_lines(tag, (size_t)(p - tag));
		e = close;
		while (s < e && tpl_space(*s))
			s++;
		while (e > s && tpl_space(e[-1]))
			e--;

		if (dlen == 3) {
			rc = tpl_named_node(c, OP_RAW, tagline, s,
					    (size_t)(e - s));
			if (rc)
				return rc;
			continue;
		}
		sigil = s < e ? *s : 0;
		switch (sigil) {
		case '!': case '#': case '^': case '/': case '>':
			s++;
			while (s < e && tpl_space(*s))
				s++;
			break;
		default:
			sigil = 0;
		}

		switch (sigil) {
		case '!':
			break;
		case '#':
		case '^':
			if (depth == TPL_MAX_NEST)
				return tpl_fail(c->err, c->errlen, WK_EINVAL,
						t->name, tagline,
						"sections nested deeper than %d",
						TPL_MAX_NEST);
			rc = tpl_named_node(c,
					    sigil == '#' ? OP_SECTION
							 : OP_INVERTED,
					    tagline, s, (size_t)(e - s));
			if (rc)
				return rc;
			open[depth].node = t->nnodes - 1;
			open[depth].line = tagline;
			open[depth].name = s;
			open[depth].len = (size_t)(e - s);
			depth++;
			break;
		case '/':
			if (s == e)
				return tpl_fail(c->err, c->errlen, WK_EINVAL,
						t->name, tagline, "empty name");
			if (depth == 0)
				return tpl_fail(c->err, c->errlen, WK_EINVAL,
						t->name, tagline,
						"'{{/%.*s}}' closes no section",
						QLEN(e - s), s);
			depth--;
			if (open[depth].len != (size_t)(e - s) ||
			    memcmp(open[depth].name, s, (size_t)(e - s)))
				return tpl_fail(
					c->err, c->errlen, WK_EINVAL, t->name,
					tagline,
					"'{{/%.*s}}' does not close "
					"'%.*s' opened on line %u",
					QLEN(e - s), s, QLEN(open[depth].len),
					open[depth].name,
					(unsigned)open[depth].line);
			t->nodes[open[depth].node].end = t->nnodes;
			break;
		case '>':
			if (s == e)
				return tpl_fail(c->err, c->errlen, WK_EINVAL,
						t->name, tagline, "empty name");
			if (!tpl_partial_name_ok(s, (size_t)(e - s)))
				return tpl_fail(c->err, c->errlen, WK_EINVAL,
						t->name, tagline,
						"bad partial name '%.*s'",
						QLEN(e - s), s);
			nd = tpl_add_node(t, OP_PARTIAL, tagline);
			if (!nd)
				return tpl_oom(c, tagline);
			nd->text = s;
			nd->len = (size_t)(e - s);
			break;
		default:
			rc = tpl_named_node(c, OP_VAR, tagline, s,
					    (size_t)(e - s));
			if (rc)
				return rc;
		}
	}
	if (depth)
		return tpl_fail(c->err, c->errlen, WK_EINVAL, t->name,
				open[depth - 1].line, "unclosed section '%.*s'",
				QLEN(open[depth - 1].len), open[depth - 1].name);
	return 0;
}

/* Index of the template called name (n bytes), or -1. */
static long tpl_find(const struct tpl_set *set, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strlen(set->tpls[i].name) == n &&
		    memcmp(set->tpls[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

/* Compile src (n bytes) as template name (nlen bytes) into set. */
static int tpl_set_add(struct tpl_set *set, const char *name, size_t nlen,
		       const char *src, size_t n, char *err, size_t errlen)
{
	struct comp c = {NULL, err, errlen};
	struct tpl *t;
	char *nm;

	nm = strndup(name, nlen);
	if (!nm)
		return tpl_fail(err, errlen, WK_ENOMEM, "?", 1,
				"out of memory");
	if (tpl_find(set, name, nlen) >= 0 || nlen == 0) {
		tpl_fail(err, errlen, WK_EINVAL, nm, 1,
			 nlen ? "duplicate template name" : "empty name");
		free(nm);
		return WK_EINVAL;
	}
	if (n > TPL_MAX_SIZE) {
		tpl_fail(err, errlen, WK_ETOOBIG, nm, 1,
			 "template larger than %zu bytes", TPL_MAX_SIZE);
		free(nm);
		return WK_ETOOBIG;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		t = realloc(set->tpls, cap * sizeof(*t));
		if (!t) {
			tpl_fail(err, errlen, WK_ENOMEM, nm, 1,
				 "out of memory");
			free(nm);
			return WK_ENOMEM;
		}
		set->tpls = t;
		set->cap = cap;
	}
	t = &set->tpls[set->n++];
	memset(t, 0, sizeof(*t));
	t->name = nm;
	c.t = t;
	t->src = malloc(n + 1);
	if (!t->src)
		return tpl_oom(&c, 1);
	memcpy(t->src, src, n);
	t->src[n] = '\0';
	return tpl_compile(&c, n);
}

/* Point every partial node at its template, now that all are compiled. */
static int tpl_resolve(struct tpl_set *set, char *err, size_t errlen)
{
	size_t i;
	uint32_t j;

	for (i = 0; i < set->n; i++) {
		struct tpl *t = &set->tpls[i];
		for (j = 0; j < t->nnodes; j++) {
			struct node *nd = &t->nodes[j];
			long k;
			if (nd->op != OP_PARTIAL)
				continue;
			k = tpl_find(set, nd->text, nd->len);
			if (k < 0)
				return tpl_fail(err, errlen, WK_EINVAL, t->name,
						nd->line,
						"unknown partial '%.*s'",
						QLEN(nd->len), nd->text);
			nd->partial = (uint32_t)k;
		}
	}
	return 0;
}

void tpl_set_free(struct tpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->tpls[i].name);
		free(set->tpls[i].src);
		free(set->tpls[i].nodes);
		free(set->tpls[i].segs);
	}
	free(set->tpls);
	free(set);
}

static struct tpl_set *tpl_set_new(char *err, size_t errlen)
{
	struct tpl_set *set = calloc(1, sizeof(*set));

	if (!set && err && errlen)
		snprintf(err, errlen, "templates: out of memory");
	return set;
}

struct tpl_set *tpl_set_compile(const char *const *names,
				const char *const *srcs, size_t n, char *err,
				size_t errlen)
{
	struct tpl_set *set = tpl_set_new(err, errlen);
	size_t i;

	if (!set)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!names || !srcs || !names[i] || !srcs[i]) {
			if (err && errlen)
				snprintf(err, errlen,
					 "templates: missing name or source");
			goto fail;
		}
		if (tpl_set_add(set, names[i], strlen(names[i]), srcs[i],
				strlen(srcs[i]), err, errlen))
			goto fail;
	}
	if (tpl_resolve(set, err, errlen))
		goto fail;
	return set;
fail:
	tpl_set_free(set);
	return NULL;
}

struct tpl_load {
	struct tpl_set *set;
	char *err;
	size_t errlen;
};

/* asset_each callback: compile one "templates/NAME.html" asset. */
static int tpl_load_one(const char *asset, void *arg)
{
	struct tpl_load *ld = arg;
	const unsigned char *data;
	size_t len, alen = strlen(asset);
	size_t pre = strlen(TPL_DIR), ext = strlen(TPL_EXT);
	int owned = 0, rc;

	if (alen <= pre + ext || strcmp(asset + alen - ext, TPL_EXT) != 0)
		return 0;
	rc = asset_get(asset, &data, &len, &owned);
	if (rc) {
		if (ld->err && ld->errlen)
			snprintf(ld->err, ld->errlen, "%s: cannot read: %s",
				 asset, wk_strerror(rc));
		return rc;
	}
	rc = tpl_set_add(ld->set, asset + pre, alen - pre - ext,
			 (const char *)data, len, ld->err, ld->errlen);
	if (owned)
		free((void *)data);
	return rc;
}

struct tpl_set *tpl_set_load(char *err, size_t errlen)
{
	struct tpl_load ld = {tpl_set_new(err, errlen), err, errlen};

	if (!ld.set)
		return NULL;
	if (asset_each(TPL_DIR, tpl_load_one, &ld) ||
	    tpl_resolve(ld.set, err, errlen)) {
		tpl_set_free(ld.set);
		return NULL;
	}
	return ld.set;
}

/* -------------------------------------------------------------- renderer */

/* One level of the context stack; frames live on the C stack. */
struct frame {
	const struct tpl_val *v;
	const struct frame *up;
};

static const unsigned char tpl_esc_kind[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char *s;
	size_t n;
} tpl_entities[] = {
	{"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6},
	{"&#39;", 5},
};

/* Copy runs of harmless bytes in one go; only the five special bytes
 * interrupt a run. */
void tpl_escape(struct buf *out, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		unsigned char k = tpl_esc_kind[(unsigned char)s[i]];
		if (!k)
			continue;
		if (i > start)
			buf_add(out, s + start, i - start);
		buf_add(out, tpl_entities[k].s, tpl_entities[k].n);
		start = i + 1;
	}
	if (n > start)
		buf_add(out, s + start, n - start);
}

static void tpl_put_int(struct buf *out, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_add(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Print a value; lists, maps and NULL print nothing. */
static void tpl_put_val(struct buf *out, const struct tpl_val *v, int esc)
{
	if (!v)
		return;
	switch (v->type) {
	case TV_STR:
		if (esc)
			tpl_escape(out, v->u.str.s, v->u.str.n);
		else
			buf_add(out, v->u.str.s, v->u.str.n);
		break;
	case TV_INT:
		tpl_put_int(out, v->u.i);
		break;
	case TV_BOOL:
		if (v->u.b)
			buf_add(out, "true", 4);
		else
			buf_add(out, "false", 5);
		break;
	default:
		break;
	}
}

static int tpl_truthy(const struct tpl_val *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case TV_STR:
		return v->u.str.n != 0;
	case TV_INT:
		return v->u.i != 0;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->u.list.n != 0;
	case TV_MAP:
		return 1;
	default:
		return 0;
	}
}

/* Resolve a node's name: the first segment is searched from the innermost
 * frame outwards, the rest descend through maps from what it found. */
static const struct tpl_val *tpl_lookup(const struct tpl *t,
					const struct node *nd,
					const struct frame *f)
{
	const struct seg *sg;
	const struct tpl_val *v = NULL;
	uint32_t i;

	/* before touching segs: a template naming only "." has none */
	if (nd->nseg == 0)
		return f->v;
	sg = t->segs + nd->seg;
	for (; f; f = f->up) {
		v = tv_find(f->v, sg[0].s, sg[0].n);
		if (v)
			break;
	}
	for (i = 1; v && i < nd->nseg; i++)
		v = tv_find(v, sg[i].s, sg[i].n);
	return v;
}

/* Render nodes [i, end) of t. Returns 0, the buffer's error (which stops
 * the walk at once) or WK_EINVAL when partials nest too deep. */
static int tpl_walk(const struct tpl_set *set, const struct tpl *t,
		    uint32_t i, uint32_t end, const struct frame *f, int depth,
		    struct buf *out)
{
	const struct tpl_val *v;
	const struct tpl *pt;
	const struct tv_item *it;
	struct frame fr;
	int rc;

	while (i < end) {
		const struct node *nd = &t->nodes[i];
		switch (nd->op) {
		case OP_TEXT:
			buf_add(out, nd->text, nd->len);
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			tpl_put_val(out, tpl_lookup(t, nd, f), nd->op == OP_VAR);
			i++;
			break;
		case OP_SECTION:
			v = tpl_lookup(t, nd, f);
			fr.up = f;
			if (!tpl_truthy(v)) {
				/* skip */
			} else if (v->type == TV_LIST) {
				for (it = v->u.list.head; it; it = it->next) {
					fr.v = it->val;
					rc = tpl_walk(set, t, i + 1, nd->end, &fr,
						      depth, out);
					if (rc)
						return rc;
				}
			} else {
				fr.v = v;
				rc = tpl_walk(set, t, i + 1, nd->end, &fr, depth,
					      out);
				if (rc)
					return rc;
			}
			i = nd->end;
			break;
		case OP_INVERTED:
			if (!tpl_truthy(tpl_lookup(t, nd, f))) {
				rc = tpl_walk(set, t, i + 1, nd->end, f, depth,
					      out);
				if (rc)
					return rc;
			}
			i = nd->end;
			break;
		case OP_PARTIAL:
			if (depth >= TPL_MAX_PARTIAL_DEPTH)
				return WK_EINVAL;
			pt = &set->tpls[nd->partial];
			rc = tpl_walk(set, pt, 0, pt->nnodes, f, depth + 1, out);
			if (rc)
				return rc;
			i++;
			break;
		default:
			return WK_EINVAL;
		}
	}
	return buf_error(out);
}

/* On failure the output is cut back to where it started, so a caller never
 * sends half a page by mistake. */
int tpl_render(const struct tpl_set *set, const char *name,
	       const struct tpl_val *ctx, struct buf *out)
{
	struct frame root = {ctx, NULL};
	size_t start = out->len;
	const struct tpl *t;
	long k;
	int rc;

	if (!set || !name)
		return WK_ENOTFOUND;
	k = tpl_find(set, name, strlen(name));
	if (k < 0)
		return WK_ENOTFOUND;
	t = &set->tpls[k];
	rc = tpl_walk(set, t, 0, t->nnodes, &root, 0, out);
	if (!rc)
		rc = buf_error(out);
	if (rc)
		buf_truncate(out, start);
	return rc;
}
