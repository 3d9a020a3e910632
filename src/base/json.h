/*
 * json.h - writing JSON: string escaping and a few value helpers.
 */
#ifndef WK_JSON_H
#define WK_JSON_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Append s (n bytes of UTF-8) as a quoted JSON string. Control
 * characters, quotes, backslashes, '<', '>', '&' and U+2028/9 are
 * escaped, so the output is also safe inside HTML. Invalid UTF-8 bytes
 * become U+FFFD. */
void json_str(struct buf *b, const char *s, size_t n);
/* json_str of a NUL-terminated string; NULL becomes null. */
void json_cstr(struct buf *b, const char *s);
/* "key": (with a leading comma unless first). */
void json_key(struct buf *b, const char *key, int first);

/* Read the string member key of the JSON object in json (len bytes):
 * escapes decoded (\uXXXX with surrogate pairs) into out as UTF-8. The
 * whole text must be one well-formed object (nesting at most 32 deep);
 * other members may hold any JSON value. 0, WK_ENOTFOUND (no such
 * member, or not a string), WK_EMALFORMED (not a well-formed object) or
 * out's error. */
int json_object_string(const char *json, size_t len, const char *key,
		       struct buf *out);

/* The same for an integer member (no fraction or exponent, |v| below
 * about 9.2e18): 0 and *out, WK_ENOTFOUND when missing or not such a
 * number, WK_EMALFORMED. */
int json_object_int(const char *json, size_t len, const char *key,
		    int64_t *out);

#endif
