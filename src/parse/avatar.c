/*
 * avatar.c - a profile picture from an uploaded image: decoded with
 * MuPDF under the same memory and time caps as documents, cropped to a
 * square from the middle, scaled and written anew as a PNG, so nothing
 * of the uploaded file (metadata, trailing bytes, another format hidden
 * inside) reaches readers.
 */
#include "parse.h"
#include "parse_internal.h"
#include "pdfjob.h"
#include "render.h"

#include "../base/err.h"

#include <stdlib.h>
#include <string.h>

#define AVATAR_MAX_SIDE 8000

static int image_kind(const unsigned char *d, size_t n)
{
	return (n > 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) ||
	       (n > 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) ||
	       (n > 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6)));
}

int parse_render_avatar(const void *data, size_t len, int size,
			const struct parse_limits *lim, unsigned char **png,
			size_t *png_len, char *err, size_t errlen)
{
	struct parse_limits def;
	struct pdfjob j;
	fz_context *ctx;
	fz_buffer *in = NULL, *out = NULL;
	fz_image *img = NULL;
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	int rc = 0;

	*png = NULL;
	*png_len = 0;
	if (!lim) {
		parse_default_limits(&def);
		lim = &def;
	}
	if (size < 16 || size > 512)
		return parse_fail(err, errlen, WK_EINVAL, "bad avatar size");
	if (!data || !image_kind(data, len))
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "a picture must be a png, jpeg or gif image");
	if ((rc = pdfjob_start(&j, lim, err, errlen)))
		return rc;
	ctx = j.ctx;
	fz_var(in);
	fz_var(out);
	fz_var(img);
	fz_var(pix);
	fz_var(dev);
	fz_var(rc);
	fz_try(ctx) {
		int w, h, side;
		float scale;
		fz_matrix m;

		in = fz_new_buffer_from_copied_data(ctx, data, len);
		img = fz_new_image_from_buffer(ctx, in);
		w = img->w;
		h = img->h;
		if (w <= 0 || h <= 0 || w > AVATAR_MAX_SIDE ||
		    h > AVATAR_MAX_SIDE)
			fz_throw(ctx, FZ_ERROR_GENERIC, "image too large");
		/* Draw the image so its short side fills size pixels and
		 * its middle lands in the square. */
		side = w < h ? w : h;
		scale = (float)size / (float)side;
		m.a = w * scale;
		m.b = 0;
		m.c = 0;
		m.d = h * scale;
		m.e = -(w * scale - size) / 2;
		m.f = -(h * scale - size) / 2;
		pix = fz_new_pixmap(ctx, fz_device_rgb(ctx), size, size, NULL,
				    0);
		fz_clear_pixmap_with_value(ctx, pix, 255);
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_fill_image(ctx, dev, img, m, 1.0f,
			      fz_default_color_params);
		fz_close_device(ctx, dev);
		out = fz_new_buffer_from_pixmap_as_png(ctx, pix,
						      fz_default_color_params);
		if (pdfjob_failed(&j))
			fz_throw(ctx, FZ_ERROR_ABORT, "cut short");
		{
			unsigned char *p;
			size_t n = fz_buffer_storage(ctx, out, &p);
			*png = malloc(n);
			if (*png) {
				memcpy(*png, p, n);
				*png_len = n;
			}
		}
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, out);
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, in);
	}
	fz_catch(ctx) {
		rc = pdfjob_failed(&j) || fz_caught(ctx) == FZ_ERROR_MEMORY
			     ? WK_ETOOBIG
			     : WK_EMALFORMED;
		parse_fail(err, errlen, rc, rc == WK_ETOOBIG
				    ? "the picture needs too much memory or time"
				    : "the picture could not be read");
	}
	pdfjob_end(&j);
	if (!rc && !*png)
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	return rc;
}
