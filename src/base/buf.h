/*
 * buf.h - a growable byte buffer with a hard size cap and a sticky error.
 *
 * Invariants: data is NUL-terminated whenever data != NULL; len never
 * exceeds max; once err is set every later append is a no-op, so a caller
 * appends freely and checks buf_error() once at the end (the way SQLite's
 * string accumulator works). The buffer owns data; buf_release() frees it.
 */
#ifndef WK_BUF_H
#define WK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;	/* hard cap on len; appends past it set err */
	int err;	/* 0, WK_ENOMEM or WK_ETOOBIG */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

/* Start an empty buffer that may grow to max bytes (0 = BUF_DEFAULT_MAX). */
void buf_init(struct buf *b, size_t max);
/* Free the contents; the buffer is empty and usable again. */
void buf_release(struct buf *b);
/* Empty the buffer, keeping its memory and clearing the error. */
void buf_reset(struct buf *b);
/* Hand the contents to the caller (free() them); the buffer becomes empty.
 * Returns NULL if the buffer is in error. Never NULL otherwise. */
char *buf_detach(struct buf *b, size_t *len);

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Shorten to n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);

/* 0 or the sticky error. */
static inline int buf_error(const struct buf *b) { return b->err; }
/* The contents as a string; "" for an empty buffer. Borrowed. */
static inline const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

#endif
