/*
 * render.h - PDF pages as PNG images for previews, with a watermark
 * burned into the pixels. No I/O: the caller hands in the PDF's bytes
 * and the watermark font's bytes.
 *
 * Each call runs MuPDF under the same caps as parsing (parse_limits:
 * max_memory and max_seconds, per call). Images are RGB without alpha
 * on a white background, width_px wide (RENDER_MIN_WIDTH to
 * RENDER_MAX_WIDTH); the height follows the page's shape, but is never
 * more than RENDER_MAX_ASPECT times the width (a taller page is cut at
 * the bottom).
 */
#ifndef WK_RENDER_H
#define WK_RENDER_H

#include "parse.h"

#include <stddef.h>

#define RENDER_MIN_WIDTH 16
#define RENDER_MAX_WIDTH 2048
#define RENDER_MAX_ASPECT 4
/* Characters of a watermark drawn; the rest is ignored. */
#define RENDER_WATERMARK_MAX 64

/* Render page (0-based) of the PDF in data (len bytes) as a PNG
 * width_px wide. When watermark is non-empty (UTF-8), it is drawn in
 * semi-transparent grey across the whole page, in diagonal rows, with
 * the font in font (font_len bytes of a TrueType/OpenType font or
 * collection, e.g. a CJK .ttc; face 0 is used); with font NULL, with
 * MuPDF's built-in Helvetica, which has no CJK glyphs. Characters the
 * font lacks are left out; if it can draw none of them the call fails
 * rather than hand out an unmarked page. lim may be NULL for the
 * defaults.
 *
 * On success returns 0 and sets *png to a malloc'd PNG (the caller
 * free()s it) of *png_len bytes. On failure *png is NULL and err says
 * why: WK_EINVAL (bad width, page number or font, or a watermark the
 * font cannot draw), WK_ENOTFOUND (no such page), WK_EUNSUPPORTED (not
 * a PDF, or encrypted), WK_EMALFORMED (MuPDF cannot open or draw it),
 * WK_ETOOBIG (past max_memory or max_seconds), WK_ENOMEM. */
int parse_render_page(const void *data, size_t len, int page, int width_px,
		      const char *watermark, const void *font,
		      size_t font_len, const struct parse_limits *lim,
		      unsigned char **png, size_t *png_len, char *err,
		      size_t errlen);

/* A thumbnail of the first page, width_px wide, without a watermark.
 * Same contract as parse_render_page(). */
int parse_render_cover(const void *data, size_t len, int width_px,
		       const struct parse_limits *lim, unsigned char **png,
		       size_t *png_len, char *err, size_t errlen);

/* A square size x size PNG (16..512) of an uploaded picture (png, jpeg
 * or gif): the middle square, scaled, written anew. Same caps as pages.
 * WK_EUNSUPPORTED for other data, WK_EMALFORMED for an unreadable image,
 * WK_ETOOBIG past the caps (or larger than 8000 pixels a side). */
int parse_render_avatar(const void *data, size_t len, int size,
			const struct parse_limits *lim, unsigned char **png,
			size_t *png_len, char *err, size_t errlen);

#endif
