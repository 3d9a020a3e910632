/* test_frame.c - worker result frames: round trips, and every way a
 * subverted worker could lie being refused. */
#include "../harness.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/parse/frame.h"

#include <stdlib.h>
#include <string.h>

static void sample(struct parse_result *r)
{
	static struct parse_block blocks[3] = {
		{ PB_HEADING, 1, (char *)"标题", 6 },
		{ PB_PAGE_BREAK, 0, (char *)"", 0 },
		{ PB_PARAGRAPH, 0, (char *)"正文。", 9 },
	};
	memset(r, 0, sizeof(*r));
	r->format = PF_DOCX;
	r->blocks = blocks;
	r->nblocks = 3;
	r->title = (char *)"标题";
	r->author = (char *)"作者";
	r->pages = 2;
}

TEST(frame_round_trip)
{
	struct parse_result in, out;
	struct buf b;
	char err[256];
	int code = 1;

	sample(&in);
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == 0);
	CHECK(code == 0);
	CHECK(out.format == PF_DOCX && out.pages == 2 && !out.pages_estimated);
	CHECK_STR(out.title, "标题");
	CHECK_STR(out.author, "作者");
	CHECK(out.nblocks == 3 && out.blocks[1].kind == PB_PAGE_BREAK);
	CHECK_STR(out.text, "标题\n正文。");
	parse_result_release(&out);
	buf_release(&b);
}

TEST(frame_error_report)
{
	struct parse_result out;
	struct buf b;
	char err[256];
	int code = 0;

	buf_init(&b, 0);
	frame_put_error(&b, WK_EUNSUPPORTED, "pdf files are encrypted");
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == 0);
	CHECK(code == WK_EUNSUPPORTED);
	CHECK_STR(err, "pdf files are encrypted");
	buf_release(&b);
}

/* Flip, cut and extend a good frame: each must be refused cleanly. */
TEST(frame_refuses_damaged_frames)
{
	struct parse_result in, out;
	struct buf b;
	char err[256], *copy;
	size_t i;
	int code, refused = 0, accepted = 0;

	sample(&in);
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	copy = malloc(b.len + 8);
	for (i = 0; i < b.len; i++) {	/* every truncation */
		if (frame_decode(b.data, i, NULL, &out, &code, err,
				 sizeof(err)) == WK_EMALFORMED)
			refused++;
		else
			parse_result_release(&out);
	}
	CHECK(refused == (int)b.len);
	for (i = 4; i + 4 < b.len; i++) {	/* every byte set to 0xff */
		memcpy(copy, b.data, b.len);
		copy[i] = (char)0xff;
		if (frame_decode(copy, b.len, NULL, &out, &code, err,
				 sizeof(err)) == 0) {
			/* 0xff is never valid UTF-8, a kind, a level or a
			 * length that fits: only the two low bytes of the
			 * page count (offsets 6 and 7: 255 or 65282 pages,
			 * both plausible) still make a valid frame. */
			CHECK((i == 6 && out.pages == 255) ||
			      (i == 7 && out.pages == 65282));
			accepted++;
			parse_result_release(&out);
		}
	}
	CHECK(accepted == 2);
	/* Trailing garbage before the trailer. */
	memcpy(copy, b.data, b.len - 4);
	memcpy(copy + b.len - 4, "XEND!", 5);
	CHECK(frame_decode(copy, b.len + 1, NULL, &out, &code, err,
			   sizeof(err)) == WK_EMALFORMED);
	free(copy);
	buf_release(&b);
}

TEST(frame_refuses_lies)
{
	static struct parse_block nl = { PB_PARAGRAPH, 0, (char *)"a\nb", 3 };
	static struct parse_block lvl = { PB_HEADING, 12, (char *)"x", 1 };
	static struct parse_block nul = { PB_PARAGRAPH, 0, (char *)"a\0b", 3 };
	struct parse_block *bad[] = { &nl, &lvl, &nul };
	struct parse_result in, out;
	struct parse_limits lim;
	struct buf b;
	char err[256];
	size_t i;
	int code;

	for (i = 0; i < 3; i++) {
		sample(&in);
		in.blocks = bad[i];
		in.nblocks = 1;
		buf_init(&b, 0);
		frame_put_result(&b, &in);
		CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
				   sizeof(err)) == WK_EMALFORMED);
		CHECK(strstr(err, "malformed result") != NULL);
		buf_release(&b);
	}
	/* Text past the caller's limit. */
	sample(&in);
	parse_default_limits(&lim);
	lim.max_text = 4;
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, &lim, &out, &code, err,
			   sizeof(err)) != 0);
	buf_release(&b);
	/* An error report claiming success or an unknown code. */
	buf_init(&b, 0);
	frame_put_error(&b, 0, "fine");
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == WK_EMALFORMED);
	buf_release(&b);
}

/* A 1x1 PNG (signature, IHDR, IDAT, IEND). */
static const unsigned char tiny_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde,
	0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
	0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35,
	0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	0x42, 0x60, 0x82,
};

TEST(frame_images_checked)
{
	struct parse_image imgs[2] = {
		{ 0, 1, 1, (unsigned char *)tiny_png, sizeof(tiny_png) },
		{ 1, 1, 1, (unsigned char *)tiny_png, sizeof(tiny_png) },
	};
	struct parse_result in, out;
	struct buf b;
	char err[256];
	int code;

	sample(&in);
	in.images = imgs;
	in.nimages = 2;
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == 0);
	CHECK(out.nimages == 2 && out.images[1].page == 1 &&
	      out.images[1].len == sizeof(tiny_png) &&
	      !memcmp(out.images[1].png, tiny_png, sizeof(tiny_png)));
	parse_result_release(&out);
	buf_release(&b);

	/* A size that does not match the PNG's header. */
	imgs[1].width = 2;
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == WK_EMALFORMED);
	buf_release(&b);
	/* Not a PNG. */
	imgs[1].width = 1;
	imgs[1].png = (unsigned char *)"GIF89a not a png at all, no no no";
	imgs[1].len = 33;
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == WK_EMALFORMED);
	buf_release(&b);
	/* Pages out of order. */
	imgs[1] = imgs[0];
	buf_init(&b, 0);
	frame_put_result(&b, &in);
	CHECK(frame_decode(b.data, b.len, NULL, &out, &code, err,
			   sizeof(err)) == WK_EMALFORMED);
	buf_release(&b);
}
