/*
 * parse.c - the front of parse/: format detection from magic bytes,
 * dispatch to the format parsers, the shared block builder that turns
 * their raw block texts into a clean parse_result, and small message
 * helpers. See parse.h for the contract and parse_internal.h for the
 * builder.
 */
#include "parse.h"
#include "opc.h"
#include "parse_internal.h"
#include "zipsafe.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- limits and names --------------------------------------------------- */

void parse_default_limits(struct parse_limits *lim)
{
	lim->max_inflated_total = (size_t)64 << 20;
	lim->max_inflated_entry = (size_t)32 << 20;
	lim->max_entries = 10000;
	lim->max_ratio = 100;
	lim->max_text = (size_t)16 << 20;
	lim->max_memory = (size_t)256 << 20;
	lim->max_seconds = 10;
	lim->max_pages = 2000;
}

const char *parse_format_name(enum parse_format f)
{
	switch (f) {
	case PF_DOCX: return "docx";
	case PF_PPTX: return "pptx";
	case PF_XLSX: return "xlsx";
	case PF_TXT: return "txt";
	case PF_PDF: return "pdf";
	case PF_ODT: return "odt";
	case PF_EPUB: return "epub";
	case PF_MD: return "md";
	case PF_UNKNOWN: break;
	}
	return "unknown";
}

int parse_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *parse_size_str(size_t n, char *out, size_t outlen)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		snprintf(out, outlen, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(out, outlen, "%zu KiB", n >> 10);
	else
		snprintf(out, outlen, "%zu bytes", n);
	return out;
}

const char *parse_safe_name(const char *name, char *out, size_t outlen)
{
	size_t i, max = outlen - 1;

	if (max > 64)
		max = 64;
	for (i = 0; name[i] && i < max; i++) {
		unsigned char c = (unsigned char)name[i];
		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[i] = '\0';
	return out;
}

/* ---- cleaning text ------------------------------------------------------ */

void pb_clean_into(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;

	/* Copy runs of plain bytes in one go; handle the rest one code
	 * point at a time. */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k;

		if (c >= 0x20 && c < 0x7f) {
			i++;
			run++;
			continue;
		}
		if (run) {
			buf_add(out, s + i - run, run);
			run = 0;
		}
		if (c < 0x80) {
			if (c == '\t')
				buf_addc(out, '\t');
			else if (c == '\n' || c == '\r')
				buf_addc(out, ' ');
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0) {
			buf_add(out, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		if (cp == 0x2028 || cp == 0x2029)
			buf_addc(out, ' ');
		else if (!(cp >= 0x80 && cp < 0xa0) && cp != 0xfeff)
			buf_add(out, s + i, k);
		i += k;
	}
	if (run)
		buf_add(out, s + i - run, run);
}

/* Length of the white space at s (n bytes available), 0 if none. */
static size_t space_len(const char *s, size_t n, int tabs)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\n' || u[0] == '\r' || u[0] == '\f' ||
	    u[0] == '\v' || (tabs && u[0] == '\t'))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (n >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Length of the white space ending at s + n, 0 if none. */
static size_t space_len_back(const char *s, size_t n, int tabs)
{
	if (n >= 3 && space_len(s + n - 3, 3, tabs) == 3)
		return 3;
	if (n >= 2 && space_len(s + n - 2, 2, tabs) == 2)
		return 2;
	if (n >= 1 && space_len(s + n - 1, 1, tabs) == 1)
		return 1;
	return 0;
}

size_t pb_trim(const char *s, size_t n, size_t *start, int tabs)
{
	size_t a = 0, k;

	while (a < n && (k = space_len(s + a, n - a, tabs)) > 0)
		a += k;
	while (n > a && (k = space_len_back(s + a, n - a, tabs)) > 0)
		n -= k;
	*start = a;
	return n - a;
}

char *parse_clean_str(const char *s, size_t n)
{
	struct buf b;
	size_t a, len;
	char *out;

	buf_init(&b, n * 3 + 16);
	pb_clean_into(&b, s, n);
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	len = pb_trim(buf_str(&b), b.len, &a, 1);
	out = len ? strndup(buf_str(&b) + a, len) : NULL;
	buf_release(&b);
	return out;
}

/* ---- the block builder -------------------------------------------------- */

void pb_init(struct pbuild *b, const struct parse_limits *lim)
{
	memset(b, 0, sizeof(*b));
	b->lim = lim;
	/* A block can never be longer than the whole text may be; the
	 * extra room lets trimming happen before the check. */
	buf_init(&b->scratch, lim->max_text + 1024);
}

void pb_release(struct pbuild *b)
{
	size_t i;

	for (i = 0; i < b->nblocks; i++)
		free(b->blocks[i].text);
	free(b->blocks);
	buf_release(&b->scratch);
	b->blocks = NULL;
	b->nblocks = b->cap = b->ntext = b->text_len = 0;
	b->err = 0;
}

/* Append a block that owns text (freed here on failure). */
static int push(struct pbuild *b, enum parse_block_kind kind, int level,
		char *text, size_t len)
{
	struct parse_block *nb;

	if (b->nblocks == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		if (ncap > SIZE_MAX / sizeof(*nb) ||
		    !(nb = realloc(b->blocks, ncap * sizeof(*nb)))) {
			free(text);
			return b->err = WK_ENOMEM;
		}
		b->blocks = nb;
		b->cap = ncap;
	}
	nb = &b->blocks[b->nblocks++];
	nb->kind = kind;
	nb->level = level;
	nb->text = text;
	nb->len = len;
	return 0;
}

int pb_add(struct pbuild *b, enum parse_block_kind kind, int level,
	   const char *s, size_t n)
{
	size_t a, len, i, total;
	char *text;
	const char *p;

	if (b->err)
		return b->err;
	buf_reset(&b->scratch);
	pb_clean_into(&b->scratch, s, n);
	if (buf_error(&b->scratch))
		return b->err = buf_error(&b->scratch);
	p = buf_str(&b->scratch);
	len = pb_trim(p, b->scratch.len, &a, kind != PB_TABLE_ROW);
	p += a;
	for (i = 0; i < len && p[i] == '\t'; i++)
		;
	if (i == len)
		return 0;	/* nothing but white space */
	total = b->text_len + (b->ntext ? 1 : 0);
	if (len > b->lim->max_text || total > b->lim->max_text - len)
		return b->err = WK_ETOOBIG;
	text = malloc(len + 1);
	if (!text)
		return b->err = WK_ENOMEM;
	memcpy(text, p, len);
	text[len] = '\0';
	if (push(b, kind, level, text, len))
		return b->err;
	b->ntext++;
	b->text_len = total + len;
	return 0;
}

int pb_page_break(struct pbuild *b)
{
	char *text;

	if (b->err)
		return b->err;
	if (b->nblocks == 0 ||
	    b->blocks[b->nblocks - 1].kind == PB_PAGE_BREAK)
		return 0;
	text = calloc(1, 1);
	if (!text)
		return b->err = WK_ENOMEM;
	return push(b, PB_PAGE_BREAK, 0, text, 0);
}

int pb_finish(struct pbuild *b, int pages, struct parse_result *out,
	      char *err, size_t errlen)
{
	char *text, *p, sz[32];
	size_t i, chars;

	if (b->err == WK_ETOOBIG)
		return parse_fail(err, errlen, WK_ETOOBIG,
				  "extracted text is longer than the %s "
				  "limit", parse_size_str(b->lim->max_text,
							  sz, sizeof(sz)));
	if (b->err)
		return parse_fail(err, errlen, b->err, "out of memory");
	/* A trailing page break says nothing either. */
	while (b->nblocks &&
	       b->blocks[b->nblocks - 1].kind == PB_PAGE_BREAK)
		free(b->blocks[--b->nblocks].text);
	text = malloc(b->text_len + 1);
	if (!text)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	p = text;
	for (i = 0; i < b->nblocks; i++) {
		const struct parse_block *bl = &b->blocks[i];
		if (bl->kind == PB_PAGE_BREAK)
			continue;
		if (p != text)
			*p++ = '\n';
		memcpy(p, bl->text, bl->len);
		p += bl->len;
	}
	*p = '\0';
	out->text = text;
	out->text_len = (size_t)(p - text);
	out->blocks = b->blocks;
	out->nblocks = b->nblocks;
	if (pages > 0) {
		out->pages = pages;
		out->pages_estimated = false;
	} else {
		chars = utf8_count(text, out->text_len);
		out->pages = (int)((chars + PARSE_CHARS_PER_PAGE - 1) /
				   PARSE_CHARS_PER_PAGE);
		if (out->pages < 1)
			out->pages = 1;
		out->pages_estimated = true;
	}
	b->blocks = NULL;
	b->nblocks = b->cap = b->ntext = b->text_len = 0;
	buf_release(&b->scratch);
	return 0;
}

/* ---- table rows --------------------------------------------------------- */

void pb_row_init(struct pb_row *r, size_t max)
{
	buf_init(&r->row, max);
	buf_init(&r->cell, max);
	r->ncells = 0;
}

void pb_row_release(struct pb_row *r)
{
	buf_release(&r->row);
	buf_release(&r->cell);
	r->ncells = 0;
}

void pb_row_start(struct pb_row *r)
{
	buf_reset(&r->row);
	buf_reset(&r->cell);
	r->ncells = 0;
}

void pb_cell_start(struct pb_row *r)
{
	buf_reset(&r->cell);
}

void pb_cell_add(struct pb_row *r, const char *s, size_t n)
{
	size_t a, len = pb_trim(s, n, &a, 1);

	if (!len)
		return;
	if (r->cell.len)
		buf_addc(&r->cell, ' ');
	buf_add(&r->cell, s + a, len);
}

void pb_cell_end(struct pb_row *r)
{
	size_t i, a, len;
	char *s = r->cell.data;

	for (i = 0; s && i < r->cell.len; i++)
		if (s[i] == '\t')
			s[i] = ' ';
	len = pb_trim(buf_str(&r->cell), r->cell.len, &a, 1);
	if (r->ncells++)
		buf_addc(&r->row, '\t');
	buf_add(&r->row, buf_str(&r->cell) + a, len);
	buf_reset(&r->cell);
}

int pb_row_end(struct pbuild *b, struct pb_row *r)
{
	int rc = buf_error(&r->row) ? buf_error(&r->row)
				    : buf_error(&r->cell);

	if (rc)
		return b->err = rc;
	rc = pb_add(b, PB_TABLE_ROW, 0, buf_str(&r->row), r->row.len);
	pb_row_start(r);
	return rc;
}

/* ---- detection ---------------------------------------------------------- */

static int has_prefix(const void *data, size_t len, const void *magic,
		      size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

/* Whether the UTF-16LE form of the ASCII string s occurs in data. */
static int has_utf16(const void *data, size_t len, const char *s)
{
	char pat[64];
	size_t i, n = strlen(s);

	for (i = 0; i < n && 2 * i + 1 < sizeof(pat); i++) {
		pat[2 * i] = s[i];
		pat[2 * i + 1] = '\0';
	}
	return memmem(data, len, pat, 2 * i) != NULL;
}

/* Name a binary format wenku does not read, or NULL. The names end up
 * in "<name> files are not supported yet". */
static const char *binary_kind(const void *data, size_t len)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *kind;
	} magics[] = {
		{ "{\\rtf", 5, "rtf" },
		{ "\x89PNG\r\n\x1a\n", 8, "png" },
		{ "\xff\xd8\xff", 3, "jpeg" },
		{ "GIF87a", 6, "gif" },
		{ "GIF89a", 6, "gif" },
		{ "\x7f" "ELF", 4, "executable (elf)" },
		{ "MZ", 2, "executable (exe)" },
		{ "Rar!\x1a\x07", 6, "rar" },
		{ "7z\xbc\xaf\x27\x1c", 6, "7z" },
		{ "\x1f\x8b", 2, "gzip" },
		{ "BZh", 3, "bzip2" },
		{ "\xfd" "7zXZ", 6, "xz" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd" },
		{ "%!PS", 4, "postscript" },
		{ "AT&TFORM", 8, "djvu" },
		{ "II*\0", 4, "tiff" },
		{ "MM\0*", 4, "tiff" },
		{ "SQLite format 3\0", 16, "sqlite" },
		{ "\0asm", 4, "webassembly" },
		{ "ID3", 3, "mp3" },
		{ "OggS", 4, "ogg" },
		{ "fLaC", 4, "flac" },
		{ "wOFF", 4, "woff" },
		{ "wOF2", 4, "woff2" },
	};
	size_t i;

	if (has_prefix(data, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
		/* OLE compound file: old Office, or new Office encrypted
		 * with a password (its package is wrapped in OLE). */
		if (has_utf16(data, len, "EncryptedPackage"))
			return "password-protected office";
		if (has_utf16(data, len, "WordDocument"))
			return "doc (word 97-2003)";
		if (has_utf16(data, len, "Workbook") ||
		    has_utf16(data, len, "Book"))
			return "xls (excel 97-2003)";
		if (has_utf16(data, len, "PowerPoint Document"))
			return "ppt (powerpoint 97-2003)";
		return "ole (old office)";
	}
	if (len >= 12 && memcmp(data, "RIFF", 4) == 0)
		return "riff (media)";
	if (len >= 12 && memcmp((const char *)data + 4, "ftyp", 4) == 0)
		return "mp4 (media)";
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (has_prefix(data, len, magics[i].magic, magics[i].n))
			return magics[i].kind;
	return NULL;
}

static int is_pdf(const void *data, size_t len)
{
	return has_prefix(data, len, "%PDF-", 5);
}

static int is_zip(const void *data, size_t len)
{
	return has_prefix(data, len, "PK\x03\x04", 4) ||
	       has_prefix(data, len, "PK\x05\x06", 4);
}

/* The document format of an opened zip; for PF_UNKNOWN, *kind names
 * what the archive is ("xlsb", "ods", "zip"...). Word wins over
 * PowerPoint over Excel when a package looks like more than one. */
static enum parse_format zip_format(struct zipsafe *z, const char **kind)
{
	*kind = "zip";
	if (docx_sniff(z))
		return PF_DOCX;
	if (pptx_sniff(z))
		return PF_PPTX;
	if (xlsx_sniff(z))
		return PF_XLSX;
	if (odt_sniff(z))
		return PF_ODT;
	if (epub_sniff(z))
		return PF_EPUB;
	*kind = opc_zip_kind(z);
	return PF_UNKNOWN;
}

enum parse_format parse_detect(const void *data, size_t len)
{
	struct parse_limits lim;
	struct zipsafe z;
	enum parse_format f;
	const char *kind;

	if (is_zip(data, len)) {
		parse_default_limits(&lim);
		if (zipsafe_open(&z, data, len, &lim, NULL, 0))
			return PF_UNKNOWN;
		f = zip_format(&z, &kind);
		zipsafe_close(&z);
		return f;
	}
	if (is_pdf(data, len))
		return PF_PDF;
	if (binary_kind(data, len))
		return PF_UNKNOWN;
	return txt_sniff(data, len);
}

/* ---- parsing ------------------------------------------------------------ */

/* For data that is a zip: 0 with the document format in *f, else the
 * error to return, with a message saying what the archive is. */
static int check_zip(const void *data, size_t len,
		     const struct parse_limits *lim, enum parse_format *f,
		     char *err, size_t errlen)
{
	struct zipsafe z;
	const char *kind = "zip";
	int rc;

	rc = zipsafe_open(&z, data, len, lim, err, errlen);
	if (rc)
		return rc;
	*f = zip_format(&z, &kind);
	zipsafe_close(&z);
	if (*f != PF_UNKNOWN)
		return 0;
	if (strcmp(kind, "zip") == 0)
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "zip archives that are not documents are "
				  "not supported");
	return parse_fail(err, errlen, WK_EUNSUPPORTED,
			  "%s files are not supported yet", kind);
}

int parse_document(const void *data, size_t len,
		   const struct parse_limits *lim, struct parse_result *out,
		   char *err, size_t errlen)
{
	struct parse_limits def;
	enum parse_format f;
	const char *kind;
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (!lim) {
		parse_default_limits(&def);
		lim = &def;
	}
	if (!data && len)
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "no data to parse");
	if (!data)
		data = "";
	if (is_zip(data, len)) {
		/* Checked with the caller's limits, not parse_detect()'s. */
		rc = check_zip(data, len, lim, &f, err, errlen);
		if (rc)
			return rc;
	} else if (is_pdf(data, len)) {
		f = PF_PDF;
	} else if ((kind = binary_kind(data, len)) != NULL) {
		if (!strncmp(kind, "password-protected", 18))
			return parse_fail(err, errlen, WK_EUNSUPPORTED,
					  "the file is encrypted (password-"
					  "protected): remove the password "
					  "and upload it again");
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "%s files are not supported yet", kind);
	} else {
		f = parse_detect(data, len);
	}
	switch (f) {
	case PF_DOCX:
		rc = docx_parse(data, len, lim, out, err, errlen);
		break;
	case PF_PPTX:
		rc = pptx_parse(data, len, lim, out, err, errlen);
		break;
	case PF_XLSX:
		rc = xlsx_parse(data, len, lim, out, err, errlen);
		break;
	case PF_TXT:
		rc = txt_parse(data, len, lim, out, err, errlen);
		break;
	case PF_PDF:
		rc = pdf_parse(data, len, lim, out, err, errlen);
		break;
	case PF_ODT:
		rc = odt_parse(data, len, lim, out, err, errlen);
		break;
	case PF_EPUB:
		rc = epub_parse(data, len, lim, out, err, errlen);
		break;
	case PF_MD:
		rc = md_parse(data, len, lim, out, err, errlen);
		break;
	default:
		return parse_fail(err, errlen, WK_EUNSUPPORTED,
				  "file type not recognised: binary data "
				  "that is not a supported document");
	}
	if (rc) {
		parse_result_release(out);
		return rc;
	}
	out->format = f;
	return 0;
}

void parse_result_release(struct parse_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nblocks; i++)
		free(r->blocks[i].text);
	free(r->blocks);
	free(r->text);
	free(r->title);
	free(r->author);
	for (i = 0; i < r->nimages; i++)
		free(r->images[i].png);
	free(r->images);
	memset(r, 0, sizeof(*r));
}

/* ---- preloading ------------------------------------------------------- */

/* Converters opened by parse_preload(), held for the process's life. */
static iconv_t preloaded[6];

void parse_preload(void)
{
	/* Every character set txt.c converts from; a handle held open keeps
	 * glibc's converter module loaded, so later iconv_open() calls for
	 * it need no file access. */
	static const char *const sets[] = {
		"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE", "GB18030",
		"BIG5",
	};
	static int done;
	size_t i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		preloaded[i] = iconv_open("UTF-8", sets[i]);
}

/* ---- legacy formats ------------------------------------------------------ */

const char *parse_legacy_target(const void *data, size_t len)
{
	if (has_prefix(data, len, "{\\rtf", 5))
		return "docx";
	if (!has_prefix(data, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) ||
	    has_utf16(data, len, "EncryptedPackage"))
		return NULL;
	/* Word 97-2003 and WPS Writer files both hold a WordDocument
	 * stream. */
	if (has_utf16(data, len, "WordDocument"))
		return "docx";
	if (has_utf16(data, len, "Workbook") || has_utf16(data, len, "Book"))
		return "xlsx";
	if (has_utf16(data, len, "PowerPoint Document"))
		return "pptx";
	return NULL;
}

const char *parse_legacy_name(const void *data, size_t len)
{
	if (has_prefix(data, len, "{\\rtf", 5))
		return "rtf";
	if (!parse_legacy_target(data, len))
		return NULL;
	if (has_utf16(data, len, "WordDocument"))
		return "doc";
	if (has_utf16(data, len, "PowerPoint Document"))
		return "ppt";
	return "xls";
}
