/*
 * utf8.h - the few UTF-8 operations the layers above need.
 *
 * Validation follows RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF.
 */
#ifndef WK_UTF8_H
#define WK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available). Returns its length in
 * bytes and stores it in *cp, or returns 0 for an invalid sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room). Returns the length, 0 if invalid. */
size_t utf8_encode(uint32_t cp, char *out);
bool utf8_valid(const char *s, size_t n);
/* Number of code points in a valid string. */
size_t utf8_count(const char *s, size_t n);
/* Largest offset <= off that starts a code point (never inside a
 * multi-byte sequence). */
size_t utf8_floor(const char *s, size_t n, size_t off);
/* Byte offset of the code point with index chars (or n if beyond). */
size_t utf8_offset(const char *s, size_t n, size_t chars);

#endif
