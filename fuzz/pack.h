/*
 * pack.h - what the OOXML fuzz harnesses (fuzz_docx.c, fuzz_pptx.c,
 * fuzz_xlsx.c) share: turning a fuzz input into a zip package, and
 * checking a parse result against parse.h's promises.
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

/* A stored (uncompressed) zip holding part[i] (plen[i] bytes) as
 * names[i], for i < nparts; free() it. NULL when memory runs out. */
uint8_t *fuzz_pack(const char *const *names, const uint8_t *const *part,
		   const size_t *plen, size_t nparts, size_t *outlen);

/* parse_document() with the default limits; abort() when a success
 * breaks parse.h's promises (valid UTF-8, text exactly the blocks
 * joined by '\n', pages >= 1) or a failure leaves anything behind. */
void fuzz_parse_check(const void *data, size_t size);

/* The whole convention: "PK" inputs as they are; others split at NUL
 * bytes into up to nparts parts named names[i]. A part the input does
 * not reach is defaults[i] when that is not NULL, else left out of the
 * zip, so a short input (one slide, one sheet) still lands in a
 * package that leads to it. */
void fuzz_ooxml(const uint8_t *data, size_t size, const char *const *names,
		const char *const *defaults, size_t nparts);

#endif
