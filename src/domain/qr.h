/*
 * qr.h - QR codes as inline SVG, for the customer-service contact box.
 */
#ifndef WK_QR_H
#define WK_QR_H

struct buf;

/* Append an <svg> of text's QR code (error correction M, 4-module quiet
 * zone, one <path>) to out. The SVG carries role="img" and the given
 * aria-label (escaped). 0, WK_EINVAL (empty or over 1000 bytes) or
 * WK_ENOMEM. */
int qr_svg(const char *text, const char *label, struct buf *out);

#endif
