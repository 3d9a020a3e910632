/*
 * pdf.c - PDF text through MuPDF: one paragraph per block of MuPDF's
 * structured text, a page break between pages, headings from font
 * size, title and author from the document information dictionary.
 *
 * Every call runs in its own pdfjob (pdfjob.h): a fresh MuPDF context
 * whose allocator is capped at max_memory, and a watchdog that aborts
 * the work after max_seconds. MuPDF repairs broken files as it opens
 * them; a page that still cannot be read is skipped, but running out of
 * memory or time fails the whole parse, so a result never silently
 * lacks pages for those reasons. Only the first max_pages pages are
 * read; pages still counts them all.
 */
#include "parse_internal.h"
#include "pdfjob.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <mupdf/fitz.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Title and author are cut to this many bytes. */
#define META_MAX 1024
/* A heading is a block of at most this many lines and characters... */
#define HEADING_MAX_LINES 3
#define HEADING_MAX_CHARS 120
/* ...on a page with at least this many characters of body text... */
#define BODY_MIN_CHARS 200
/* ...whose smallest character is this much larger than the body... */
#define HEADING_RATIO 1.25f
/* ...and that is not in the top or bottom part of the page this size
 * (running headers and footers). */
#define MARGIN 0.06f
/* Heading candidates remembered to spot running headers. */
#define RECENT_HEADINGS 32
/* Font sizes are counted in half points up to this many. */
#define SIZE_BUCKETS 512

/* Reading order as MuPDF finds it; ligatures expanded (so "ﬁ" is
 * searchable as "fi"); text outside the page left out; white space
 * normalised. Hyphenated words are joined here (see add_lines()). */
static const fz_stext_options stext_opts = {
	.flags = FZ_STEXT_MEDIABOX_CLIP,
};

/* ---- characters --------------------------------------------------------- */

/* Scripts written without spaces between words: lines of these are
 * joined without a space. Hangul uses spaces, so it is not here. */
static bool is_cjk(int c)
{
	return (c >= 0x2e80 && c <= 0x312f) ||	/* radicals .. bopomofo */
	       (c >= 0x3190 && c <= 0x9fff) ||	/* kanbun .. unified */
	       (c >= 0xf900 && c <= 0xfaff) ||	/* compatibility */
	       (c >= 0xfe30 && c <= 0xfe4f) ||	/* vertical forms */
	       (c >= 0xff00 && c <= 0xffef) ||	/* full/half width */
	       (c >= 0x20000 && c <= 0x3ffff);	/* extensions B.. */
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == 0xa0 || c == 0x3000;
}

/* Kangxi radicals (U+2F00..U+2FD5) as the ideographs they stand for
 * (their NFKC forms). Fonts made on the Mac often map common
 * ideographs to these ("⽤" for "用"), which looks right and breaks
 * search. */
static const uint16_t kangxi[214] = {
	0x4e00, 0x4e28, 0x4e36, 0x4e3f, 0x4e59, 0x4e85, 0x4e8c, 0x4ea0,
	0x4eba, 0x513f, 0x5165, 0x516b, 0x5182, 0x5196, 0x51ab, 0x51e0,
	0x51f5, 0x5200, 0x529b, 0x52f9, 0x5315, 0x531a, 0x5338, 0x5341,
	0x535c, 0x5369, 0x5382, 0x53b6, 0x53c8, 0x53e3, 0x56d7, 0x571f,
	0x58eb, 0x5902, 0x590a, 0x5915, 0x5927, 0x5973, 0x5b50, 0x5b80,
	0x5bf8, 0x5c0f, 0x5c22, 0x5c38, 0x5c6e, 0x5c71, 0x5ddb, 0x5de5,
	0x5df1, 0x5dfe, 0x5e72, 0x5e7a, 0x5e7f, 0x5ef4, 0x5efe, 0x5f0b,
	0x5f13, 0x5f50, 0x5f61, 0x5f73, 0x5fc3, 0x6208, 0x6236, 0x624b,
	0x652f, 0x6534, 0x6587, 0x6597, 0x65a4, 0x65b9, 0x65e0, 0x65e5,
	0x66f0, 0x6708, 0x6728, 0x6b20, 0x6b62, 0x6b79, 0x6bb3, 0x6bcb,
	0x6bd4, 0x6bdb, 0x6c0f, 0x6c14, 0x6c34, 0x706b, 0x722a, 0x7236,
	0x723b, 0x723f, 0x7247, 0x7259, 0x725b, 0x72ac, 0x7384, 0x7389,
	0x74dc, 0x74e6, 0x7518, 0x751f, 0x7528, 0x7530, 0x758b, 0x7592,
	0x7676, 0x767d, 0x76ae, 0x76bf, 0x76ee, 0x77db, 0x77e2, 0x77f3,
	0x793a, 0x79b8, 0x79be, 0x7a74, 0x7acb, 0x7af9, 0x7c73, 0x7cf8,
	0x7f36, 0x7f51, 0x7f8a, 0x7fbd, 0x8001, 0x800c, 0x8012, 0x8033,
	0x807f, 0x8089, 0x81e3, 0x81ea, 0x81f3, 0x81fc, 0x820c, 0x821b,
	0x821f, 0x826e, 0x8272, 0x8278, 0x864d, 0x866b, 0x8840, 0x884c,
	0x8863, 0x897e, 0x898b, 0x89d2, 0x8a00, 0x8c37, 0x8c46, 0x8c55,
	0x8c78, 0x8c9d, 0x8d64, 0x8d70, 0x8db3, 0x8eab, 0x8eca, 0x8f9b,
	0x8fb0, 0x8fb5, 0x9091, 0x9149, 0x91c6, 0x91cc, 0x91d1, 0x9577,
	0x9580, 0x961c, 0x96b6, 0x96b9, 0x96e8, 0x9751, 0x975e, 0x9762,
	0x9769, 0x97cb, 0x97ed, 0x97f3, 0x9801, 0x98a8, 0x98db, 0x98df,
	0x9996, 0x9999, 0x99ac, 0x9aa8, 0x9ad8, 0x9adf, 0x9b25, 0x9b2f,
	0x9b32, 0x9b3c, 0x9b5a, 0x9ce5, 0x9e75, 0x9e7f, 0x9ea5, 0x9ebb,
	0x9ec3, 0x9ecd, 0x9ed1, 0x9ef9, 0x9efd, 0x9f0e, 0x9f13, 0x9f20,
	0x9f3b, 0x9f4a, 0x9f52, 0x9f8d, 0x9f9c, 0x9fa0,
};

/* Simplified-form CJK radicals that are whole characters, as those
 * characters (after Unicode's EquivalentUnifiedIdeograph.txt). */
static const struct {
	uint16_t radical, ideograph;
} radicals[] = {
	{ 0x2e9f, 0x6bcd }, { 0x2ec4, 0x897f }, { 0x2ec5, 0x89c1 },
	{ 0x2ec6, 0x89d2 }, { 0x2ec9, 0x8d1d }, { 0x2ecb, 0x8f66 },
	{ 0x2ed3, 0x957f }, { 0x2ed4, 0x95e8 }, { 0x2eda, 0x9875 },
	{ 0x2edb, 0x98ce }, { 0x2edc, 0x98de }, { 0x2ee2, 0x9a6c },
	{ 0x2ee3, 0x9aa8 }, { 0x2ee4, 0x9b3c }, { 0x2ee5, 0x9c7c },
	{ 0x2ee6, 0x9e1f }, { 0x2ee7, 0x5364 }, { 0x2ee8, 0x9ea6 },
	{ 0x2ee9, 0x9ec4 }, { 0x2eea, 0x9efe }, { 0x2eec, 0x9f50 },
	{ 0x2eee, 0x9f7f }, { 0x2ef0, 0x9f99 }, { 0x2ef3, 0x9f9f },
};

static int unradical(int c)
{
	size_t i;

	if (c >= 0x2f00 && c <= 0x2fd5)
		return kangxi[c - 0x2f00];
	if (c >= 0x2e80 && c <= 0x2eff)
		for (i = 0; i < sizeof(radicals) / sizeof(radicals[0]); i++)
			if (radicals[i].radical == c)
				return radicals[i].ideograph;
	return c;
}

/* Roughly: a character that is part of a word (not a digit, space,
 * punctuation or symbol). */
static bool is_letter(int c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) &&
	       !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xff20);
}

static void add_char(struct buf *b, int c)
{
	char u[4];
	size_t n = 0;

	c = unradical(c);
	if (c > 0)
		n = utf8_encode((uint32_t)c, u);
	if (n)
		buf_add(b, u, n);
	else
		buf_add(b, "\xef\xbf\xbd", 3);	/* U+FFFD */
}

/* ---- one page ----------------------------------------------------------- */

/* The body text size of a page: the font size (to half a point) most
 * characters have. 0 when the page has too little text to tell. */
static float body_size(const fz_stext_page *st)
{
	unsigned hist[SIZE_BUCKETS] = { 0 };
	const fz_stext_block *b;
	const fz_stext_line *l;
	const fz_stext_char *ch;
	size_t total = 0;
	unsigned best = 0;
	int i, besti = 0;

	for (b = st->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (l = b->u.t.first_line; l; l = l->next)
			for (ch = l->first_char; ch; ch = ch->next) {
				int k = SIZE_BUCKETS - 1;
				/* Sizes are the file's: NaN, negative, huge. */
				if (is_space(ch->c) || !(ch->size >= 0.25f))
					continue;
				if (ch->size < SIZE_BUCKETS / 2)
					k = (int)(ch->size * 2 + 0.5f);
				hist[k]++;
				total++;
			}
	}
	for (i = 1; i < SIZE_BUCKETS; i++)
		if (hist[i] > best) {
			best = hist[i];
			besti = i;
		}
	return total >= BODY_MIN_CHARS ? (float)besti / 2 : 0;
}

/* Heading level of a block on a page whose body size is body: 1 to 3
 * for a short horizontal block with letters in it, set clearly larger
 * than the body and outside the running header and footer margins; 0
 * otherwise. Page numbers, chart labels and
 * rotated margin notes would otherwise look like headings. */
static int heading_level(const fz_stext_block *b, float body, fz_rect page)
{
	float top = b->bbox.y0 - page.y0, bottom = page.y1 - b->bbox.y1;
	float margin = (page.y1 - page.y0) * MARGIN;
	const fz_stext_line *l;
	const fz_stext_char *ch;
	float min = 0;
	int lines = 0, chars = 0;
	bool letters = false;

	if (body <= 0 || top < margin || bottom < margin)
		return 0;
	for (l = b->u.t.first_line; l; l = l->next) {
		if (++lines > HEADING_MAX_LINES || l->wmode ||
		    l->dir.x < 0.99f)
			return 0;
		for (ch = l->first_char; ch; ch = ch->next) {
			if (is_space(ch->c))
				continue;
			if (++chars > HEADING_MAX_CHARS || !isfinite(ch->size))
				return 0;
			letters = letters || is_letter(ch->c);
			if (min == 0 || ch->size < min)
				min = ch->size;
		}
	}
	if (!letters || min < body * HEADING_RATIO)
		return 0;
	return min >= body * 1.8f ? 1 : min >= body * 1.4f ? 2 : 3;
}

/* What a parse carries from page to page. */
struct pdftext {
	struct pbuild *pb;
	struct buf *para;	/* the paragraph being joined */
	int last, before;	/* its last two characters, 0 if none */
	int page;
	/* Recent heading candidates, to catch running headers: the same
	 * text (digits aside) at the same height on another page. */
	struct {
		uint32_t hash;
		float y;
		int page;
		size_t block;
	} seen[RECENT_HEADINGS];
	int nseen;
};

/* FNV-1a of s without its ASCII digits ("Chapter 3" = "Chapter 4"). */
static uint32_t hash_nodigits(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Whether the heading candidate just added (the builder's last block,
 * at height y) repeats one from another page; if so both become
 * paragraphs. Remembers the candidate either way. */
static void running_header(struct pdftext *t, float y)
{
	struct pbuild *pb = t->pb;
	struct parse_block *last = &pb->blocks[pb->nblocks - 1];
	uint32_t h = hash_nodigits(last->text, last->len);
	int i, slot;

	for (i = 0; i < t->nseen; i++) {
		if (t->seen[i].hash != h || t->seen[i].page == t->page ||
		    t->seen[i].y - y > 2 || y - t->seen[i].y > 2)
			continue;
		pb->blocks[t->seen[i].block].kind = PB_PARAGRAPH;
		pb->blocks[t->seen[i].block].level = 0;
		last->kind = PB_PARAGRAPH;
		last->level = 0;
	}
	slot = t->nseen < RECENT_HEADINGS ? t->nseen++
					  : (int)(h % RECENT_HEADINGS);
	t->seen[slot].hash = h;
	t->seen[slot].y = y;
	t->seen[slot].page = t->page;
	t->seen[slot].block = pb->nblocks - 1;
}

/* Characters that start a list item. */
static bool is_bullet(int c)
{
	return c == 0x2022 || c == 0x2023 || c == 0x2043 || c == 0x00b7 ||
	       c == 0x25a0 || c == 0x25aa || c == 0x25cf || c == 0x25e6 ||
	       c == 0x25c6 || c == 0x2666 || c == 0x27a2 || c == 0x30fb ||
	       c == 0xf0b7 || c == 0xf0a7 || c == '-' || c == '*';
}

/* Whether block b carries on the paragraph that block a ends: MuPDF
 * starts a new block for every line of some writers (each line placed
 * on its own), and those lines belong together when they sit right
 * below each other, at the same left edge, in the same font and size,
 * b is no list item, and a's last line is full (a short line ends a
 * paragraph). */
static bool continues(const fz_stext_block *a, const fz_stext_block *b)
{
	const fz_stext_line *la = a->u.t.last_line, *lb = b->u.t.first_line;
	float ha, hb, gap, wb;

	if (!la || !lb || !la->last_char || !lb->first_char ||
	    la->wmode || lb->wmode || la->dir.x < 0.99f ||
	    lb->dir.x < 0.99f || is_bullet(lb->first_char->c) ||
	    la->last_char->font != lb->first_char->font)
		return false;
	ha = la->bbox.y1 - la->bbox.y0;
	hb = lb->bbox.y1 - lb->bbox.y0;
	gap = lb->bbox.y0 - la->bbox.y1;
	wb = lb->bbox.x1 - lb->bbox.x0;
	return ha > 0 && hb > 0 && fabsf(ha - hb) <= 0.2f * ha &&
	       gap >= -0.3f * ha && gap <= 0.8f * ha &&
	       fabsf(lb->bbox.x0 - a->bbox.x0) <= ha &&
	       la->bbox.x1 >= lb->bbox.x1 - 0.15f * wb;
}

/* Whether the paragraph so far ends in a hyphen that splits a word
 * across lines, given the next line starts with c: "infor-" + "mation".
 * A soft hyphen always does; a hyphen-minus when a letter comes before
 * it and a lower-case letter after. */
static bool split_word(const struct pdftext *t, int c)
{
	if (t->last == 0xad)
		return true;
	return t->last == '-' && is_letter(t->before) && c < 0x80 &&
	       c >= 'a' && c <= 'z';
}

/* Append the lines of block b to t->para. A line is joined to what
 * comes before with a space, or with nothing where either side is CJK
 * or the line before ends in a hyphenated word (the hyphen goes).
 * MuPDF 1.21 can do the latter (FZ_STEXT_DEHYPHENATE), but leaks a
 * font reference for every hyphen it removes. */
static void add_lines(struct pdftext *t, const fz_stext_block *b)
{
	const fz_stext_line *l;
	const fz_stext_char *ch;
	int first;

	for (l = b->u.t.first_line; l; l = l->next) {
		if (!l->first_char)
			continue;
		first = l->first_char->c;
		if (t->last && split_word(t, first))
			buf_truncate(t->para, t->para->len -
					      (t->last == 0xad ? 2 : 1));
		else if (t->last && !is_space(t->last) && !is_cjk(t->last) &&
			 !is_cjk(first))
			buf_addc(t->para, ' ');
		for (ch = l->first_char; ch; ch = ch->next) {
			add_char(t->para, ch->c);
			t->before = t->last;
			t->last = ch->c;
		}
	}
}

/* Add the paragraph in t->para, a heading of level (0: a paragraph)
 * whose top is at y. */
static void flush(struct pdftext *t, int level, float y)
{
	struct pbuild *pb = t->pb;
	size_t before = pb->nblocks;

	if (buf_error(t->para)) {
		if (!pb->err)
			pb->err = buf_error(t->para);
		return;
	}
	pb_add(pb, level ? PB_HEADING : PB_PARAGRAPH, level,
	       buf_str(t->para), t->para->len);
	if (level && pb->nblocks > before)
		running_header(t, y);
	buf_reset(t->para);
	t->last = t->before = 0;
}

/* Add the text blocks of a page, one paragraph each, or several when
 * they continue each other. */
static void add_blocks(struct pdftext *t, const fz_stext_page *st)
{
	const fz_stext_block *b, *prev = NULL;
	float body = body_size(st), y = 0;
	int level, prev_level = 0;

	buf_reset(t->para);
	t->last = t->before = 0;
	for (b = st->first_block; b && !t->pb->err; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		level = heading_level(b, body, st->mediabox);
		if (!prev || level || prev_level || !continues(prev, b)) {
			if (prev)
				flush(t, prev_level, y);
			y = b->bbox.y0;
		}
		add_lines(t, b);
		prev = b;
		prev_level = level;
	}
	if (prev && !t->pb->err)
		flush(t, prev_level, y);
}

/* Returned by read_page() for a page MuPDF could not read: skipped. */
#define PAGE_DAMAGED 1

/* Add the text of page n. Returns 0 (the builder may have hit its own
 * limit: see pb->err), PAGE_DAMAGED, or a fatal error with a message
 * (out of time or memory). */
static int read_page(struct pdfjob *j, fz_document *doc, int n,
		     struct pdftext *t, char *err, size_t errlen)
{
	fz_context *ctx = j->ctx;
	fz_page *page = NULL;
	fz_stext_page *st = NULL;
	fz_device *dev = NULL;
	int code;

	fz_var(page);
	fz_var(st);
	fz_var(dev);
	fz_try(ctx) {
		page = fz_load_page(ctx, doc, n);
		st = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
		dev = fz_new_stext_device(ctx, st, &stext_opts);
		fz_run_page(ctx, page, dev, fz_identity, &j->cookie);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		fz_drop_stext_page(ctx, st);
		code = fz_caught(ctx);
		if (pdfjob_failed(j) || code == FZ_ERROR_MEMORY)
			return pdfjob_fail(j, code, fz_caught_message(ctx),
					   err, errlen);
		return PAGE_DAMAGED;
	}
	/* An abort ends the interpreter quietly, with half a page; MuPDF
	 * carries on without a font it had no memory for. */
	if (pdfjob_failed(j)) {
		fz_drop_stext_page(ctx, st);
		return pdfjob_fail(j, 0, NULL, err, errlen);
	}
	t->page = n;
	add_blocks(t, st);
	fz_drop_stext_page(ctx, st);
	return 0;
}

/* ---- the document ------------------------------------------------------- */

/* Cleaned copy of an info dictionary entry ("info:Title"), NULL when
 * absent or empty. MuPDF decodes PDF strings (UTF-16 with a byte order
 * mark, PDFDocEncoding) to UTF-8. */
static char *info(fz_context *ctx, fz_document *doc, const char *key)
{
	char v[META_MAX + 1];
	int n = -1;
	size_t len;

	fz_var(n);
	fz_try(ctx)
		n = fz_lookup_metadata(ctx, doc, key, v, sizeof(v));
	fz_catch(ctx)
		n = -1;		/* a damaged info dictionary: no title */
	if (n <= 1)
		return NULL;
	v[sizeof(v) - 1] = '\0';
	len = strlen(v);
	if ((size_t)n > sizeof(v))	/* cut: not inside a character */
		len = utf8_floor(v, len, len);
	return parse_clean_str(v, len);
}

/* Page count, title and author. */
static int read_info(struct pdfjob *j, fz_document *doc, int *pages,
		     char **title, char **author, char *err, size_t errlen)
{
	fz_context *ctx = j->ctx;

	*pages = 0;
	fz_try(ctx)
		*pages = fz_count_pages(ctx, doc);
	fz_catch(ctx)
		return pdfjob_fail(j, fz_caught(ctx), fz_caught_message(ctx),
				   err, errlen);
	if (*pages <= 0)
		return parse_fail(err, errlen, WK_EMALFORMED,
				  "damaged pdf: it has no pages");
	*title = info(ctx, doc, FZ_META_INFO_TITLE);
	*author = info(ctx, doc, FZ_META_INFO_AUTHOR);
	return 0;
}

int pdf_parse(const void *data, size_t len, const struct parse_limits *lim,
	      struct parse_result *out, char *err, size_t errlen)
{
	struct pdfjob j;
	fz_document *doc;
	struct pbuild pb;
	struct buf para;
	struct pdftext t = { .pb = &pb, .para = &para };
	char *title = NULL, *author = NULL;
	int rc, pages = 0, i, n;

	rc = pdfjob_start(&j, lim, err, errlen);
	if (rc)
		return rc;
	rc = pdfjob_open(&j, data, len, &doc, err, errlen);
	if (rc) {
		pdfjob_end(&j);
		return rc;
	}
	pb_init(&pb, lim);
	buf_init(&para, lim->max_text + 1024);
	rc = read_info(&j, doc, &pages, &title, &author, err, errlen);
	n = pages < lim->max_pages ? pages : lim->max_pages;
	for (i = 0; rc == 0 && i < n && !pb.err; i++) {
		if (pdfjob_failed(&j)) {
			rc = pdfjob_fail(&j, 0, NULL, err, errlen);
			break;
		}
		rc = read_page(&j, doc, i, &t, err, errlen);
		if (rc == PAGE_DAMAGED)
			rc = 0;
		pb_page_break(&pb);
	}
	if (rc == 0 && pdfjob_failed(&j))	/* e.g. in read_info() */
		rc = pdfjob_fail(&j, 0, NULL, err, errlen);
	fz_drop_document(j.ctx, doc);
	pdfjob_end(&j);
	buf_release(&para);
	if (rc == 0)
		rc = pb_finish(&pb, pages, out, err, errlen);
	pb_release(&pb);
	if (rc) {
		free(title);
		free(author);
		return rc;
	}
	out->title = title;
	out->author = author;
	return 0;
}
