/*
 * frame.c - encoding and validating worker result frames (see frame.h).
 */
#include "frame.h"
#include "parse_internal.h"

#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "WKF1"
#define TRAILER "END!"
#define MAX_MESSAGE 1024
#define MAX_META 4096

static void put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	buf_add(b, c, 4);
}

static void put_str(struct buf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
}

void frame_put_result(struct buf *out, const struct parse_result *r)
{
	size_t i;

	buf_add(out, MAGIC, 4);
	buf_addc(out, 0);
	buf_addc(out, (char)r->format);
	put_u32(out, r->pages > 0 ? (uint32_t)r->pages : 0);
	buf_addc(out, r->pages_estimated ? 1 : 0);
	put_str(out, r->title ? r->title : "", r->title ? strlen(r->title) : 0);
	put_str(out, r->author ? r->author : "",
		r->author ? strlen(r->author) : 0);
	put_u32(out, (uint32_t)r->nblocks);
	for (i = 0; i < r->nblocks; i++) {
		buf_addc(out, (char)r->blocks[i].kind);
		buf_addc(out, (char)r->blocks[i].level);
		put_str(out, r->blocks[i].text, r->blocks[i].len);
	}
	put_u32(out, (uint32_t)r->nimages);
	for (i = 0; i < r->nimages; i++) {
		put_u32(out, (uint32_t)r->images[i].page);
		put_u32(out, (uint32_t)r->images[i].width);
		put_u32(out, (uint32_t)r->images[i].height);
		put_u32(out, (uint32_t)r->images[i].len);
		buf_add(out, r->images[i].png, r->images[i].len);
	}
	buf_add(out, TRAILER, 4);
}

void frame_put_error(struct buf *out, int code, const char *msg)
{
	size_t n = strlen(msg);

	if (n > MAX_MESSAGE)
		n = utf8_floor(msg, strlen(msg), MAX_MESSAGE);
	buf_add(out, MAGIC, 4);
	buf_addc(out, 1);
	put_u32(out, (uint32_t)(int32_t)code);
	put_str(out, msg, n);
	buf_add(out, TRAILER, 4);
}

/* A cursor over the frame: every read checks the bytes left. */
struct cur {
	const unsigned char *p;
	size_t left;
	int bad;
};

static uint8_t get_u8(struct cur *c)
{
	if (c->left < 1) {
		c->bad = 1;
		return 0;
	}
	c->left--;
	return *c->p++;
}

static uint32_t get_u32(struct cur *c)
{
	uint32_t v;
	if (c->left < 4) {
		c->bad = 1;
		return 0;
	}
	v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 |
	    (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
	c->p += 4;
	c->left -= 4;
	return v;
}

/* A string of at most max bytes: valid UTF-8, no NUL, no line break
 * when oneline. *s points into the frame. */
static size_t get_str(struct cur *c, size_t max, int oneline,
		      const char **s)
{
	uint32_t n = get_u32(c);

	if (c->bad || n > max || n > c->left) {
		c->bad = 1;
		return 0;
	}
	*s = (const char *)c->p;
	if (memchr(*s, '\0', n) || !utf8_valid(*s, n) ||
	    (oneline && (memchr(*s, '\n', n) || memchr(*s, '\r', n)))) {
		c->bad = 1;
		return 0;
	}
	c->p += n;
	c->left -= n;
	return n;
}

/* A PNG whose IHDR says width x height. */
static int png_ok(const unsigned char *p, size_t n, uint32_t w, uint32_t h)
{
	uint32_t pw, ph;

	if (n < 33 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) ||
	    memcmp(p + 12, "IHDR", 4))
		return 0;
	pw = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
	     (uint32_t)p[18] << 8 | p[19];
	ph = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 |
	     (uint32_t)p[22] << 8 | p[23];
	return pw == w && ph == h;
}

/* The image section: copies into r->images. 0 or -1 (invalid). */
static int decode_images(struct cur *c, struct parse_result *r)
{
	uint32_t n = get_u32(c), i;
	int last = -1;

	if (c->bad || n > FRAME_MAX_IMAGES)
		return -1;
	if (!n)
		return 0;
	r->images = calloc(n, sizeof(*r->images));
	if (!r->images)
		return -1;
	for (i = 0; i < n; i++) {
		struct parse_image *im = &r->images[i];
		uint32_t page = get_u32(c), w = get_u32(c), h = get_u32(c);
		uint32_t len = get_u32(c);

		if (c->bad || (int)page <= last || page > 100000 || !w ||
		    !h || w > FRAME_MAX_WIDTH || h > FRAME_MAX_HEIGHT ||
		    len > FRAME_MAX_PNG || len > c->left ||
		    !png_ok(c->p, len, w, h))
			return -1;
		im->png = malloc(len);
		if (!im->png)
			return -1;
		memcpy(im->png, c->p, len);
		im->len = len;
		im->page = (int)page;
		im->width = (int)w;
		im->height = (int)h;
		r->nimages++;
		last = (int)page;
		c->p += len;
		c->left -= len;
	}
	return 0;
}

static int bad(char *err, size_t errlen, const char *what)
{
	return parse_fail(err, errlen, WK_EMALFORMED,
			  "the converter returned a malformed result (%s)",
			  what);
}

static int decode_result(struct cur *c, const struct parse_limits *lim,
			 struct parse_result *r, char *err, size_t errlen)
{
	struct pbuild b;
	const char *title, *author;
	size_t tlen, alen;
	uint32_t pages, nblocks, i;
	uint8_t format, estimated;
	int rc;

	format = get_u8(c);
	pages = get_u32(c);
	estimated = get_u8(c);
	tlen = get_str(c, MAX_META, 1, &title);
	alen = get_str(c, MAX_META, 1, &author);
	nblocks = get_u32(c);
	if (c->bad)
		return bad(err, errlen, "header");
	if (format == PF_UNKNOWN || !strcmp(parse_format_name(format),
					     "unknown"))
		return bad(err, errlen, "format");
	if (pages > 1000000 || estimated > 1)
		return bad(err, errlen, "page count");
	/* Every block takes at least 6 bytes. */
	if (nblocks > c->left / 6)
		return bad(err, errlen, "block count");
	pb_init(&b, lim);
	for (i = 0; i < nblocks; i++) {
		uint8_t kind = get_u8(c), level = get_u8(c);
		const char *text = NULL;
		size_t n = get_str(c, lim->max_text, 1, &text);

		if (c->bad || kind > PB_PAGE_BREAK || level > 9 ||
		    (kind == PB_PAGE_BREAK && n)) {
			pb_release(&b);
			return bad(err, errlen, "block");
		}
		rc = kind == PB_PAGE_BREAK ? pb_page_break(&b)
					   : pb_add(&b, kind, level, text, n);
		if (rc) {
			pb_release(&b);
			return parse_fail(err, errlen, rc,
					  "the converted text is too long");
		}
	}
	memset(r, 0, sizeof(*r));
	rc = pb_finish(&b, (int)pages, r, err, errlen);
	if (rc) {
		pb_release(&b);
		return rc;
	}
	r->format = format;
	r->pages_estimated = estimated && pages;
	if (!pages)
		r->pages_estimated = true;
	r->title = tlen ? parse_clean_str(title, tlen) : NULL;
	r->author = alen ? parse_clean_str(author, alen) : NULL;
	if (decode_images(c, r)) {
		parse_result_release(r);
		return bad(err, errlen, "images");
	}
	return 0;
}

int frame_decode(const void *data, size_t len, const struct parse_limits *lim,
		 struct parse_result *r, int *code, char *err, size_t errlen)
{
	struct parse_limits def;
	struct cur c = { data, len, 0 };
	uint8_t status;
	int rc;

	memset(r, 0, sizeof(*r));
	*code = 0;
	if (!lim) {
		parse_default_limits(&def);
		lim = &def;
	}
	if (len < 12 || memcmp(data, MAGIC, 4) ||
	    memcmp((const char *)data + len - 4, TRAILER, 4))
		return bad(err, errlen, "framing");
	c.p += 4;
	c.left -= 8;	/* magic read, trailer kept aside */
	status = get_u8(&c);
	if (status == 1) {
		int32_t ec = (int32_t)get_u32(&c);
		const char *msg = NULL;
		size_t n = get_str(&c, MAX_MESSAGE, 0, &msg);

		if (c.bad || c.left || ec >= 0 || ec < WK_EMALFORMED)
			return bad(err, errlen, "error report");
		*code = ec;
		parse_fail(err, errlen, ec, "%.*s", (int)n, msg);
		return 0;
	}
	if (status != 0)
		return bad(err, errlen, "status");
	rc = decode_result(&c, lim, r, err, errlen);
	if (rc)
		return rc;
	if (c.left) {
		parse_result_release(r);
		return bad(err, errlen, "trailing bytes");
	}
	return 0;
}
