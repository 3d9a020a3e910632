/*
 * frame.h - the message a conversion worker sends back over its pipe.
 *
 * A worker process parses an untrusted file and may have been subverted
 * by it, so the parent treats the frame as untrusted input too: the
 * decoder checks every length against the bytes present and the limits,
 * every string for valid UTF-8 without NUL bytes, every block kind and
 * level, and rebuilds the result through the same block builder the
 * parsers use, so a decoded result keeps every promise of parse.h.
 * Images must be PNGs whose header matches their declared size (at most
 * FRAME_MAX_WIDTH x FRAME_MAX_HEIGHT, FRAME_MAX_PNG bytes, FRAME_MAX_IMAGES
 * of them, pages in increasing order, page 0 the cover).
 *
 * Layout (integers little-endian):
 *   "WKF1"  u8 status
 *   status 0:  u8 format  u32 pages  u8 estimated
 *              u32 n title  u32 n author  u32 nblocks
 *              nblocks x (u8 kind  u8 level  u32 n text)
 *              u32 nimages
 *              nimages x (u32 page  u32 width  u32 height  u32 n png)
 *   status 1:  i32 error code  u32 n message
 *   "END!"
 * where "u32 n X" is a length followed by that many bytes.
 */
#ifndef WK_FRAME_H
#define WK_FRAME_H

#include "parse.h"

#include <stddef.h>

struct buf;

#define FRAME_MAX_IMAGES 16
#define FRAME_MAX_WIDTH 2048
#define FRAME_MAX_HEIGHT 8192
#define FRAME_MAX_PNG ((size_t)16 << 20)

/* Append the frame for a successful parse. */
void frame_put_result(struct buf *out, const struct parse_result *r);
/* Append the frame for a failed parse (code < 0, message for the
 * uploader). */
void frame_put_error(struct buf *out, int code, const char *msg);

/* Decode a frame of len bytes. Returns WK_EMALFORMED (message in err)
 * when the frame is invalid in any way. Otherwise returns 0 and either
 * fills *r (*code = 0) or, for a worker that reported a failure, sets
 * *code to its (negative) code and copies its message into err. */
int frame_decode(const void *data, size_t len, const struct parse_limits *lim,
		 struct parse_result *r, int *code, char *err, size_t errlen);

#endif
