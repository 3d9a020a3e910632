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
