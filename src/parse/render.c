/*
 * render.c - one PDF page to a PNG through MuPDF, with a watermark
 * burned into the pixels. See render.h.
 *
 * The page is drawn into an RGB pixmap, then the watermark is drawn
 * over it with the same draw device: the text repeated in rows at 30
 * degrees, each row shifted by half a copy, in grey at 30% opacity, so
 * every part of the page carries it and cropping cannot remove it.
 * Everything runs in a pdfjob (pdfjob.h), under the same memory cap
 * and time budget as text extraction.
 */
#include "render.h"
#include "parse_internal.h"
#include "pdfjob.h"
#include "../base/err.h"

#include <mupdf/fitz.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WM_ANGLE 30.0f		/* degrees, rising to the right */
#define WM_SIZE_DIV 18		/* font size is the width / this... */
#define WM_SIZE_MIN 8.0f	/* ...but at least this many pixels */
#define WM_GREY 0.5f
#define WM_ALPHA 0.3f
#define WM_SPACE_EM 0.3f	/* advance of a space the font lacks */

/* The watermark as glyphs of one font. gid -1 is a space (advance
 * only). */
struct wmark {
	int gid[RENDER_WATERMARK_MAX];
	int ucs[RENDER_WATERMARK_MAX];
	float adv[RENDER_WATERMARK_MAX];	/* in ems */
	int n;
	float width;				/* in ems */
};

/* Look up the glyphs of s (UTF-8) in font, leaving out characters the
 * font lacks. Returns how many visible glyphs there are. May throw. */
static int wm_glyphs(fz_context *ctx, fz_font *font, const char *s,
		     struct wmark *w)
{
	int chars = 0, visible = 0;

	w->n = 0;
	w->width = 0;
	while (*s && chars++ < RENDER_WATERMARK_MAX) {
		int r, gid;
		s += fz_chartorune(&r, s);
		gid = fz_encode_character(ctx, font, r);
		if (r == ' ' || r == 0x3000 || r == '\t') {
			w->gid[w->n] = -1;
			w->adv[w->n] = gid ? fz_advance_glyph(ctx, font, gid, 0)
					   : WM_SPACE_EM;
		} else if (gid <= 0) {
			continue;	/* .notdef: the font lacks it */
		} else {
			w->gid[w->n] = gid;
			w->adv[w->n] = fz_advance_glyph(ctx, font, gid, 0);
			visible++;
		}
		if (r == 0x3000)
			w->adv[w->n] = 1;	/* ideographic space */
		/* Keep the layout loop finite whatever the font says. */
		if (!(w->adv[w->n] >= 0))
			w->adv[w->n] = 0;
		if (w->adv[w->n] > 4)
			w->adv[w->n] = 4;
		w->ucs[w->n] = r;
		w->width += w->adv[w->n];
		w->n++;
	}
	return visible;
}

/* Lay w out over the pixmap area box, in text: diagonal rows covering
 * the whole area. May throw. */
static void lay_out(fz_context *ctx, fz_text *text, fz_irect box,
		    fz_font *font, const struct wmark *w)
{
	float width = (float)(box.x1 - box.x0);
	float height = (float)(box.y1 - box.y0);
	float size = width / WM_SIZE_DIV, rad = WM_ANGLE * (float)M_PI / 180;
	float c = cosf(rad), s = sinf(rad);
	float cx = (float)(box.x0 + box.x1) / 2;
	float cy = (float)(box.y0 + box.y1) / 2;
	float step_u, step_v, reach, u, v;
	int row = 0, i;

	if (size < WM_SIZE_MIN)
		size = WM_SIZE_MIN;
	step_u = (w->width + 2) * size;	/* one copy and a gap */
	step_v = 3.5f * size;
	reach = hypotf(width, height) / 2 + step_u;
	/* (u, v): along the rows and across them, from the centre. Rows
	 * run along (c, -s) in pixel space, where y grows down; a glyph's
	 * up is (-s, -c). */
	for (v = -reach; v <= reach; v += step_v, row++) {
		u = -reach - (row & 1 ? step_u / 2 : 0);
		for (; u <= reach; u += step_u) {
			float x = cx + u * c + v * s;
			float y = cy - u * s + v * c;
			for (i = 0; i < w->n; i++) {
				fz_matrix trm = { size * c, -size * s,
						  -size * s, -size * c, x, y };
				if (w->gid[i] >= 0)
					fz_show_glyph(ctx, text, font, trm,
						      w->gid[i], w->ucs[i], 0,
						      0, FZ_BIDI_LTR,
						      FZ_LANG_UNSET);
				x += w->adv[i] * size * c;
				y -= w->adv[i] * size * s;
			}
		}
	}
}

/* Draw w over the pixmap area box through dev. May throw. */
static void draw_watermark(fz_context *ctx, fz_device *dev, fz_irect box,
			   fz_font *font, const struct wmark *w)
{
	const float grey = WM_GREY;
	fz_text *text = NULL;

	fz_var(text);
	fz_try(ctx) {
		text = fz_new_text(ctx);
		lay_out(ctx, text, box, font, w);
		fz_fill_text(ctx, dev, text, fz_identity, fz_device_gray(ctx),
			     &grey, WM_ALPHA, fz_default_color_params);
	}
	fz_always(ctx) {
		fz_drop_text(ctx, text);
	}
	fz_catch(ctx) {
		fz_rethrow(ctx);
	}
}

/* The watermark font: the caller's, or the built-in Helvetica. */
static int load_font(struct pdfjob *j, const void *font, size_t font_len,
		     fz_font **out, char *err, size_t errlen)
{
	fz_context *ctx = j->ctx;
	fz_font *f = NULL;

	fz_var(f);
	fz_try(ctx) {
		if (font)
			f = fz_new_font_from_memory(ctx, NULL, font,
						    (int)font_len, 0, 0);
		else
			f = fz_new_base14_font(ctx, "Helvetica");
	}
	fz_catch(ctx) {
		if (pdfjob_failed(j) || fz_caught(ctx) == FZ_ERROR_MEMORY)
			return pdfjob_fail(j, fz_caught(ctx), NULL, err,
					   errlen);
		return parse_fail(err, errlen, WK_EINVAL,
				  "watermark font cannot be loaded: %s",
				  fz_caught_message(ctx));
	}
	*out = f;
	return 0;
}

/* The pixel area of a page at width px, and the matrix that puts the
 * page there: exactly width wide from (0, 0), as tall as the page's
 * shape says but at most RENDER_MAX_ASPECT times the width and at least
 * 1 (the page's numbers are the file's: anything, NaN included). */
static fz_irect page_area(fz_rect b, int width, fz_matrix *ctm)
{
	float scale = (float)width / (b.x1 - b.x0);
	float h = (b.y1 - b.y0) * scale;
	fz_irect r = { 0, 0, width, 1 };

	*ctm = fz_concat(fz_translate(-b.x0, -b.y0), fz_scale(scale, scale));
	if (h > (float)width * RENDER_MAX_ASPECT)
		h = (float)width * RENDER_MAX_ASPECT;
	if (h >= 1)
		r.y1 = (int)(h + 0.5f);
	return r;
}

/* Copy a MuPDF buffer into malloc'd memory for the caller. */
static int hand_out(fz_context *ctx, fz_buffer *buf, unsigned char **png,
		    size_t *png_len)
{
	unsigned char *data;
	size_t n = fz_buffer_storage(ctx, buf, &data);

	*png = malloc(n ? n : 1);
	if (!*png)
		return WK_ENOMEM;
	memcpy(*png, data, n);
	*png_len = n;
	return 0;
}

static int render(const void *data, size_t len, int pageno, int width,
		  const char *watermark, const void *font, size_t font_len,
		  const struct parse_limits *lim, unsigned char **png,
		  size_t *png_len, char *err, size_t errlen)
{
	struct parse_limits def;
	struct pdfjob j;
	struct wmark w;
	fz_context *ctx;
	fz_document *doc = NULL;
	fz_font *wfont = NULL;
	fz_page *page = NULL;
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	fz_buffer *buf = NULL;
	int rc = 0, pages = 0;
	bool marked = watermark && *watermark, drawable = true, copied = false;

	*png = NULL;
	*png_len = 0;
	if (err && errlen)
		err[0] = '\0';
	if (!lim) {
		parse_default_limits(&def);
		lim = &def;
	}
	if (width < RENDER_MIN_WIDTH || width > RENDER_MAX_WIDTH)
		return parse_fail(err, errlen, WK_EINVAL,
				  "image width %d is outside %d..%d pixels",
				  width, RENDER_MIN_WIDTH, RENDER_MAX_WIDTH);
	if (pageno < 0)
		return parse_fail(err, errlen, WK_EINVAL,
				  "page number %d is negative", pageno);
	if (font && (font_len == 0 || font_len > INT_MAX))
		return parse_fail(err, errlen, WK_EINVAL,
				  "watermark font has a bad size");
	if (!data || len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "not a pdf file");

	rc = pdfjob_start(&j, lim, err, errlen);
	if (rc)
		return rc;
	ctx = j.ctx;
	rc = pdfjob_open(&j, data, len, &doc, err, errlen);
	if (rc == 0 && marked)
		rc = load_font(&j, font, font_len, &wfont, err, errlen);
	if (rc)
		goto done;

	fz_var(page);
	fz_var(pix);
	fz_var(dev);
	fz_var(buf);
	fz_var(pages);
	fz_var(drawable);
	fz_var(copied);
	fz_var(rc);
	fz_try(ctx) {
		fz_matrix ctm;
		fz_irect area;
		fz_rect bounds;

		if (marked)
			drawable = wm_glyphs(ctx, wfont, watermark, &w) > 0;
		pages = fz_count_pages(ctx, doc);
		if (drawable && pageno < pages) {
			page = fz_load_page(ctx, doc, pageno);
			bounds = fz_bound_page(ctx, page);
			if (!(bounds.x1 - bounds.x0 >= 1) ||
			    !isfinite(bounds.x1 - bounds.x0) ||
			    !isfinite(bounds.y1 - bounds.y0))
				fz_throw(ctx, FZ_ERROR_GENERIC,
					 "page %d has no size", pageno);
			area = page_area(bounds, width, &ctm);
			pix = fz_new_pixmap_with_bbox(ctx, fz_device_rgb(ctx),
						      area, NULL, 0);
			fz_clear_pixmap_with_value(ctx, pix, 255);
			dev = fz_new_draw_device(ctx, fz_identity, pix);
			fz_run_page(ctx, page, dev, ctm, &j.cookie);
			if (marked)
				draw_watermark(ctx, dev, area, wfont, &w);
			fz_close_device(ctx, dev);
			buf = fz_new_buffer_from_pixmap_as_png(ctx, pix,
						fz_default_color_params);
			/* An abort ends drawing quietly, half done; MuPDF
			 * draws on without what it had no memory for. */
			if (pdfjob_failed(&j))
				fz_throw(ctx, FZ_ERROR_ABORT, "cut short");
			copied = hand_out(ctx, buf, png, png_len) == 0;
		}
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, buf);
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		rc = pdfjob_fail(&j, fz_caught(ctx), fz_caught_message(ctx),
				 err, errlen);
		goto done;
	}
	if (!drawable)
		rc = parse_fail(err, errlen, WK_EINVAL, "watermark has no "
				"character the font can draw");
	else if (pageno >= pages)
		rc = parse_fail(err, errlen, WK_ENOTFOUND,
				"page index %d is past the end (the pdf has "
				"%d pages)", pageno, pages);
	else if (!copied)
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
done:
	fz_drop_font(ctx, wfont);
	fz_drop_document(ctx, doc);
	pdfjob_end(&j);
	if (rc) {
		free(*png);
		*png = NULL;
		*png_len = 0;
	}
	return rc;
}

int parse_render_page(const void *data, size_t len, int page, int width_px,
		      const char *watermark, const void *font,
		      size_t font_len, const struct parse_limits *lim,
		      unsigned char **png, size_t *png_len, char *err,
		      size_t errlen)
{
	return render(data, len, page, width_px, watermark, font, font_len,
		      lim, png, png_len, err, errlen);
}

int parse_render_cover(const void *data, size_t len, int width_px,
		       const struct parse_limits *lim, unsigned char **png,
		       size_t *png_len, char *err, size_t errlen)
{
	return render(data, len, 0, width_px, NULL, NULL, 0, lim, png,
		      png_len, err, errlen);
}
