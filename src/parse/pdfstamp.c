/*
 * pdfstamp.c - a download mark stamped into a PDF (stamp.h).
 *
 * Each page's /Contents becomes [q, the page's own streams, footer]: the
 * first stream saves the graphics state, the footer restores it (so a
 * page that leaves a transformation or colour behind does not move or
 * hide the line) and draws the text in a font resource of our own. The
 * text is Chinese, "下载编号 D...", like the mark in every other format,
 * so the font is STSong-Light: a Type0 font over a CIDFontType0 with
 * the Adobe-GB1 character collection and no font program, which
 * readers draw with a CJK font of their own (MuPDF with its built-in
 * Noto/Source Han Serif CJK, poppler through fontconfig, pdfium and
 * Acrobat with theirs; docs/ledger.md says which were checked). MuPDF's pdf_add_cjk_font() makes the same kind
 * of font but wants a loaded fz_font (its 26 MB built-in one) as a
 * resource key, and names it "Song" with a UTF-16 CMap; the three
 * small dictionaries are written here instead. The footer's text
 * matrix is the inverse of the page's transformation, so the line
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

/* The footer's font: STSong-Light, one of the standard Adobe-GB1 CID
 * fonts every CJK-capable reader has or substitutes, so nothing is
 * embedded. Codes are UCS-2 big-endian (UniGB-UCS2-H, which maps
 * U+0020-U+007E to CIDs 1-95); ideographs are 1000 units wide (/DW),
 * the proportional ASCII CIDs as Adobe publishes them for the font
 * (/W). A reader lays glyphs out by these widths whatever font it
 * substitutes; MuPDF's text extraction compares them with its
 * substitute's own advances and reads a space into a gap, so they have
 * to be the real ones, not a flat half-width. */
#define CJK_FONT "STSong-Light"
#define CJK_CMAP "UniGB-UCS2-H"
#define CJK_WIDE 1000
#define CJK_FIRST 0x20		/* U+0020, CID 1 */
#define CJK_ASCII 95		/* CIDs 1-95: U+0020-U+007E */

static const short ascii_width[CJK_ASCII] = {
	207, 270, 342, 467, 462, 797, 710, 239, 374, 374, 423, 605, 238, 375,
	238, 334, 462, 462, 462, 462, 462, 462, 462, 462, 462, 462, 238, 238,
	605, 605, 605, 344, 748, 684, 560, 695, 739, 563, 511, 729, 793, 318,
	312, 666, 526, 896, 758, 772, 544, 772, 628, 465, 607, 753, 711, 972,
	647, 620, 607, 374, 333, 374, 606, 500, 239, 417, 503, 427, 529, 415,
	264, 444, 518, 241, 230, 495, 228, 793, 527, 524, 524, 504, 338, 336,
	277, 517, 450, 652, 466, 452, 407, 370, 258, 370, 605,
};

/* The label before the mark: "下载编号 " (TRACE_LABEL) in UCS-2. */
static const unsigned short label_ucs[] = { 0x4e0b, 0x8f7d, 0x7f16, 0x53f7,
					    0x0020 };

/* Width of one code in thousandths of the font size, as /DW and /W
 * declare it. */
static int cjk_width(unsigned short c)
{
	return c >= CJK_FIRST && c < CJK_FIRST + CJK_ASCII
		       ? ascii_width[c - CJK_FIRST]
		       : CJK_WIDE;
}

/* The footer line: the label and the mark as UCS-2 codes, and its
 * width at FONT_SIZE. */
struct footer {
	unsigned short code[sizeof(label_ucs) / sizeof(label_ucs[0]) +
			    STAMP_MARK_MAX];
	size_t n;
	float width;
};

static void footer_init(struct footer *f, const char *mark)
{
	size_t i, label = sizeof(label_ucs) / sizeof(label_ucs[0]);

	f->n = 0;
	f->width = 0;
	for (i = 0; i < label + strlen(mark) && i < sizeof(f->code) /
	     sizeof(f->code[0]); i++) {
		f->code[i] = i < label ? label_ucs[i]
				       : (unsigned char)mark[i - label];
		f->width += cjk_width(f->code[i]) * FONT_SIZE / 1000.0f;
		f->n++;
	}
}

/* The Type0 font dictionary the footer is drawn in, with its CIDFont
 * and FontDescriptor (indirect objects, as the FontDescriptor must be);
 * the caller drops it. May throw. */
static pdf_obj *add_cjk_font(fz_context *ctx, pdf_document *doc)
{
	pdf_obj *font = NULL, *cid = NULL, *fd = NULL, *arr, *w;
	size_t i;

	fz_var(font);
	fz_var(cid);
	fz_var(fd);
	fz_try(ctx) {
		font = pdf_add_new_dict(ctx, doc, 5);
		pdf_dict_put(ctx, font, PDF_NAME(Type), PDF_NAME(Font));
		pdf_dict_put(ctx, font, PDF_NAME(Subtype), PDF_NAME(Type0));
		pdf_dict_put_name(ctx, font, PDF_NAME(BaseFont), CJK_FONT);
		pdf_dict_put_name(ctx, font, PDF_NAME(Encoding), CJK_CMAP);
		arr = pdf_dict_put_array(ctx, font, PDF_NAME(DescendantFonts),
					 1);
		cid = pdf_add_new_dict(ctx, doc, 7);
		pdf_array_push(ctx, arr, cid);
		pdf_dict_put(ctx, cid, PDF_NAME(Type), PDF_NAME(Font));
		pdf_dict_put(ctx, cid, PDF_NAME(Subtype),
			     PDF_NAME(CIDFontType0));
		pdf_dict_put_name(ctx, cid, PDF_NAME(BaseFont), CJK_FONT);
		w = pdf_dict_put_dict(ctx, cid, PDF_NAME(CIDSystemInfo), 3);
		pdf_dict_put_string(ctx, w, PDF_NAME(Registry), "Adobe", 5);
		pdf_dict_put_string(ctx, w, PDF_NAME(Ordering), "GB1", 3);
		pdf_dict_put_int(ctx, w, PDF_NAME(Supplement), 2);
		pdf_dict_put_int(ctx, cid, PDF_NAME(DW), CJK_WIDE);
		w = pdf_dict_put_array(ctx, cid, PDF_NAME(W), 3);
		pdf_array_push_int(ctx, w, 1);
		arr = pdf_array_push_array(ctx, w, CJK_ASCII);
		for (i = 0; i < CJK_ASCII; i++)
			pdf_array_push_int(ctx, arr, ascii_width[i]);
		fd = pdf_add_new_dict(ctx, doc, 9);
		pdf_dict_put(ctx, cid, PDF_NAME(FontDescriptor), fd);
		pdf_dict_put(ctx, fd, PDF_NAME(Type), PDF_NAME(FontDescriptor));
		pdf_dict_put_name(ctx, fd, PDF_NAME(FontName), CJK_FONT);
		pdf_dict_put_int(ctx, fd, PDF_NAME(Flags), 6);
		pdf_dict_put_rect(ctx, fd, PDF_NAME(FontBBox),
				  fz_make_rect(-134, -254, 1001, 905));
		pdf_dict_put_int(ctx, fd, PDF_NAME(ItalicAngle), 0);
		pdf_dict_put_int(ctx, fd, PDF_NAME(Ascent), 905);
		pdf_dict_put_int(ctx, fd, PDF_NAME(Descent), -254);
		pdf_dict_put_int(ctx, fd, PDF_NAME(CapHeight), 626);
		pdf_dict_put_int(ctx, fd, PDF_NAME(StemV), 48);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, fd);
		pdf_drop_obj(ctx, cid);
	}
	fz_catch(ctx) {
		pdf_drop_obj(ctx, font);
		fz_rethrow(ctx);
	}
	return font;
}

/* Append the footer of one page (pageobj) to its contents. pre is the
 * shared "q" stream, font the shared font dictionary. */
static void stamp_page(fz_context *ctx, pdf_document *doc, pdf_obj *pageobj,
		       pdf_obj *pre, pdf_obj *font, const struct footer *line)
{
	fz_rect box, dev;
	fz_matrix ctm, inv;
	fz_point at, dx, dy;
	fz_buffer *buf = NULL;
	pdf_obj *res, *fonts, *old, *arr = NULL, *post = NULL;
	size_t k;
	int i, len;

	fz_var(buf);
	fz_var(arr);
	fz_var(post);
	fz_try(ctx) {
		float width = line->width;

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
				 "%g %g %g %g %g %g Tm\n<",
				 FONT_NAME, FONT_SIZE, dx.x, dx.y, dy.x, dy.y,
				 at.x, at.y);
		for (k = 0; k < line->n; k++)
			fz_append_printf(ctx, buf, "%04x", line->code[k]);
		fz_append_string(ctx, buf, "> Tj\nET\nQ\n");
		post = pdf_add_stream(ctx, doc, buf, NULL, 0);

		/* A new array: a /Contents array may be shared by pages. */
		old = pdf_dict_get(ctx, pageobj, PDF_NAME(Contents));
		arr = pdf_new_array(ctx, doc, 4);
		pdf_array_push(ctx, arr, pre);
		if (pdf_is_array(ctx, old)) {
			len = pdf_array_len(ctx, old);
			for (i = 0; i < len; i++)
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
	struct footer line;
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
	footer_init(&line, mark);
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
		font = add_cjk_font(ctx, doc);
		for (i = 0; i < n; i++) {
			if (pdfjob_failed(&j))
				fz_throw(ctx, FZ_ERROR_ABORT, "cut short");
			stamp_page(ctx, doc, pdf_lookup_page_obj(ctx, doc, i),
				   pre, font, &line);
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
