/*
 * pack.h - what the document fuzz harnesses (fuzz_docx.c, fuzz_pptx.c,
 * fuzz_xlsx.c, fuzz_odt.c, fuzz_epub.c, fuzz_md.c) share: turning a fuzz
 * input into a zip package, and checking a parse result against
 * parse.h's promises.
 *
 * Inputs that start with "PK" go to parse_document() as they are, so the
 * zip layer (zipsafe, libzip) sees raw mutations. Anything else is split
 * at NUL bytes into the package's parts, which are packed into a stored
 * zip; this way mutations reach the XML handlers instead of dying on a
 * CRC check. Not a harness itself: the Makefile links it into each.
 */
#ifndef WK_FUZZ_PACK_H
#define WK_FUZZ_PACK_H

#include <stddef.h>
#include <stdint.h>

struct parse_result;

/* A stored (uncompressed) zip holding part[i] (plen[i] bytes) as
 * names[i], for i < nparts; free() it. NULL when memory runs out. */
uint8_t *fuzz_pack(const char *const *names, const uint8_t *const *part,
		   const size_t *plen, size_t nparts, size_t *outlen);

/* Split data at NUL bytes into at most max (>= 1) parts, the last one
 * taking the rest, NULs and all. Returns the number of parts, >= 1. */
size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
		  size_t *plen, size_t max);

/* abort() unless a successful result keeps parse.h's promises: valid
 * UTF-8 text that is exactly the non-page-break blocks joined by '\n',
 * non-empty blocks without '\n', empty page breaks, pages >= 1, valid
 * title and author. */
void fuzz_check(const struct parse_result *r);

/* parse_document() with the default limits; fuzz_check() a success,
 * abort() when a failure leaves anything behind. */
void fuzz_parse_check(const void *data, size_t size);

/* The whole convention: "PK" inputs as they are; others split at NUL
 * bytes into up to nparts parts named names[i]. A part the input does
 * not reach is defaults[i] when that is not NULL, else left out of the
 * zip, so a short input (one slide, one sheet) still lands in a
 * package that leads to it. */
void fuzz_ooxml(const uint8_t *data, size_t size, const char *const *names,
		const char *const *defaults, size_t nparts);

/* The same for packages that start with a stored "mimetype" entry
 * (odt, epub): names[0] holds mime; the input is split by fuzz_split()
 * into parts 1 to nparts - 1 (the last takes the rest). Parts below
 * nmin that the input does not reach are defaults[i]; parts from nmin
 * on that it does not reach are left out of the zip. */
void fuzz_ocf(const uint8_t *data, size_t size, const char *mime,
	      const char *const *names, const char *const *defaults,
	      size_t nmin, size_t nparts);

#endif
