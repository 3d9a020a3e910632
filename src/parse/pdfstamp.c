/*
 * pdfstamp.c - a download mark stamped into a PDF (stamp.h).
 *
 * Each page's /Contents becomes [q, the page's own streams, footer]: the
 * first stream saves the graphics state, the footer restores it (so a
 * page that leaves a transformation or colour behind does not move or
 * hide the line) and draws the text in a font resource of our own, the
 * base-14 Helvetica, which needs no embedded font program. The footer's
 * text matrix is the inverse of the page's transformation, so the line
 * reads the right way up at the bottom of a rotated page too.
 */
#include "stamp.h"
#include "parse_internal.h"
#include "pdfjob.h"

#include "../base/err.h"

#include <mupdf/pdf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_NAME "WenkuDL"
#define FONT_SIZE 8.0f
#define FOOT_MARGIN 14.0f	/* baseline above the bottom edge, pt */

static bool mark_ok(const char *m)
{
	size_t n = strlen(m), i;

	if (n == 0 || n > STAMP_MARK_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((m[i] >= '0' && m[i] <= '9') ||
		      (m[i] >= 'a' && m[i] <= 'z') ||
		      (m[i] >= 'A' && m[i] <= 'Z') || m[i] == '-'))
			return false;
	return true;
}

/* Advance of c in Helvetica, thousandths of the font size (close
 * enough to centre a line of letters and digits). */
static int helv_width(char c)
{
	if (c == ' ' || c == 'I' || c == 'i' || c == 'l')
		return c == ' ' || c == 'I' ? 278 : 222;
	if (c == '-')
		return 333;
	if (c == 'D' || c == 'w')
		return 722;
	return 556;
}

static float text_width(const char *s)
{
	float w = 0;

	for (; *s; s++)
		w += helv_width(*s) * FONT_SIZE / 1000.0f;
	return w;
}

/* Append the footer of one page (pageobj) to its contents. pre is the
 * shared "q" stream, font the shared font dictionary. */
static void stamp_page(fz_context *ctx, pdf_document *doc, pdf_obj *pageobj,
		       pdf_obj *pre, pdf_obj *font, const char *line)
{
	fz_rect box, dev;
	fz_matrix ctm, inv;
	fz_point at, dx, dy;
	fz_buffer *buf = NULL;
	pdf_obj *res, *fonts, *old, *arr = NULL, *post = NULL;
	int i, n;

	fz_var(buf);
	fz_var(arr);
	fz_var(post);
	fz_try(ctx) {
		float width = text_width(line);

		pdf_page_obj_transform(ctx, pageobj, &box, &ctm);
		dev = fz_transform_rect(box, ctm);
		inv = fz_invert_matrix(ctm);
		at = fz_transform_point(
			fz_make_point(dev.x0 + (dev.x1 - dev.x0 - width) / 2,
				      dev.y1 - FOOT_MARGIN), inv);
		dx = fz_normalize_vector(
			fz_transform_vector(fz_make_point(1, 0), inv));
		dy = fz_normalize_vector(
			fz_transform_vector(fz_make_point(0, -1), inv));

		res = pdf_dict_get_inheritable(ctx, pageobj,
					       PDF_NAME(Resources));
		if (!pdf_is_dict(ctx, res))
			res = pdf_dict_put_dict(ctx, pageobj,
						PDF_NAME(Resources), 2);
		fonts = pdf_dict_get(ctx, res, PDF_NAME(Font));
		if (!pdf_is_dict(ctx, fonts))
			fonts = pdf_dict_put_dict(ctx, res, PDF_NAME(Font), 1);
		pdf_dict_puts(ctx, fonts, FONT_NAME, font);

		buf = fz_new_buffer(ctx, 256);
		fz_append_printf(ctx, buf,
				 "\nQ\nq\nBT\n/%s %g Tf\n0.5 g\n"
				 "%g %g %g %g %g %g Tm\n(%s) Tj\nET\nQ\n",
				 FONT_NAME, FONT_SIZE, dx.x, dx.y, dy.x, dy.y,
				 at.x, at.y, line);
		post = pdf_add_stream(ctx, doc, buf, NULL, 0);

		/* A new array: a /Contents array may be shared by pages. */
		old = pdf_dict_get(ctx, pageobj, PDF_NAME(Contents));
		arr = pdf_new_array(ctx, doc, 4);
		pdf_array_push(ctx, arr, pre);
		if (pdf_is_array(ctx, old)) {
			n = pdf_array_len(ctx, old);
			for (i = 0; i < n; i++)
				pdf_array_push(ctx, arr,
					       pdf_array_get(ctx, old, i));
		} else if (old) {
			pdf_array_push(ctx, arr, old);
		}
		pdf_array_push(ctx, arr, post);
		pdf_dict_put(ctx, pageobj, PDF_NAME(Contents), arr);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, arr);
		pdf_drop_obj(ctx, post);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		fz_rethrow(ctx);
	}
}

int parse_stamp_pdf(const void *data, size_t len, const char *mark,
		    const struct parse_limits *lim, unsigned char **out,
		    size_t *outlen, char *err, size_t errlen)
{
	struct parse_limits def;
	struct pdfjob j;
	fz_context *ctx;
	fz_document *fdoc;
	pdf_document *doc;
	fz_buffer *pre_buf = NULL, *res = NULL;
	fz_output *o = NULL;
	pdf_obj *pre = NULL, *font = NULL, *newinfo = NULL, *info;
	char line[64];
	int rc, code = 0, i, n;

	*out = NULL;
	*outlen = 0;
	if (!lim) {
		parse_default_limits(&def);
		lim = &def;
	}
	if (!mark_ok(mark))
		return parse_fail(err, errlen, WK_EINVAL, "bad download mark");
	if (len < 5 || memcmp(data, "%PDF-", 5))
		return parse_fail(err, errlen, WK_EUNSUPPORTED, "not a pdf");
	snprintf(line, sizeof(line), "Download ID %s", mark);
	if ((rc = pdfjob_start(&j, lim, err, errlen)))
		return rc;
	if ((rc = pdfjob_open(&j, data, len, &fdoc, err, errlen))) {
		pdfjob_end(&j);
		return rc;
	}
	ctx = j.ctx;
	doc = pdf_document_from_fz_document(ctx, fdoc);
	fz_var(pre_buf);
	fz_var(res);
	fz_var(o);
	fz_var(pre);
	fz_var(font);
	fz_var(newinfo);
	fz_try(ctx) {
		pdf_write_options opts;

		n = pdf_count_pages(ctx, doc);
		if (n <= 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "it has no pages");
		pre_buf = fz_new_buffer_from_copied_data(
			ctx, (const unsigned char *)"q\n", 2);
		pre = pdf_add_stream(ctx, doc, pre_buf, NULL, 0);
		font = pdf_add_new_dict(ctx, doc, 4);
		pdf_dict_put(ctx, font, PDF_NAME(Type), PDF_NAME(Font));
		pdf_dict_put(ctx, font, PDF_NAME(Subtype), PDF_NAME(Type1));
		pdf_dict_put_name(ctx, font, PDF_NAME(BaseFont), "Helvetica");
		pdf_dict_put(ctx, font, PDF_NAME(Encoding),
			     PDF_NAME(WinAnsiEncoding));
		for (i = 0; i < n; i++) {
			if (pdfjob_failed(&j))
				fz_throw(ctx, FZ_ERROR_ABORT, "cut short");
			stamp_page(ctx, doc, pdf_lookup_page_obj(ctx, doc, i),
				   pre, font, line);
		}

		info = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Info));
		if (!pdf_is_dict(ctx, info)) {
			info = newinfo = pdf_add_new_dict(ctx, doc, 1);
			pdf_dict_put(ctx, pdf_trailer(ctx, doc), PDF_NAME(Info),
				     newinfo);
		}
		pdf_dict_puts_drop(ctx, info, STAMP_PDF_INFO_KEY,
				   pdf_new_text_string(ctx, mark));

		memset(&opts, 0, sizeof(opts));
		opts.do_compress = 1;
		opts.do_compress_images = 1;
		opts.do_compress_fonts = 1;
		opts.do_garbage = 1;
		opts.do_encrypt = PDF_ENCRYPT_KEEP;
		res = fz_new_buffer(ctx, len + 4096);
		o = fz_new_output_with_buffer(ctx, res);
		pdf_write_document(ctx, doc, o, &opts);
		fz_close_output(ctx, o);
		if (pdfjob_failed(&j))
			fz_throw(ctx, FZ_ERROR_ABORT, "cut short");
		{
			unsigned char *p;
			size_t k = fz_buffer_storage(ctx, res, &p);
			if ((*out = malloc(k ? k : 1))) {
				memcpy(*out, p, k);
				*outlen = k;
			}
		}
	}
	fz_always(ctx) {
		fz_drop_output(ctx, o);
		fz_drop_buffer(ctx, res);
		fz_drop_buffer(ctx, pre_buf);
		pdf_drop_obj(ctx, pre);
		pdf_drop_obj(ctx, font);
		pdf_drop_obj(ctx, newinfo);
		fz_drop_document(ctx, fdoc);
	}
	fz_catch(ctx) {
		code = fz_caught(ctx);
		rc = pdfjob_fail(&j, code, fz_caught_message(ctx), err,
				 errlen);
	}
	pdfjob_end(&j);
	if (!rc && !*out)
		rc = parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	return rc;
}
