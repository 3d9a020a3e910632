/*
 * simhash.h - 64-bit simhash of a document's text, for near duplicates.
 *
 * The text is normalised first (Unicode NFKC, case folded, only letters
 * and digits kept), then every run of three characters votes on the 64
 * bits with its hash. Two texts that differ in a few places get hashes a
 * few bits apart; the ingest pipeline calls documents within
 * SIMHASH_NEAR bits of each other near duplicates.
 */
#ifndef WK_SIMHASH_H
#define WK_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIMHASH_NEAR 3

/* Simhash of text (len bytes of UTF-8). 0 for a text with fewer than
 * three letters or digits. */
uint64_t simhash_text(const char *text, size_t len);
/* Number of differing bits. */
int simhash_distance(uint64_t a, uint64_t b);

#endif
