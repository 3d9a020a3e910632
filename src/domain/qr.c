/*
 * qr.c - QR code SVG from libqrencode's module matrix.
 */
#include "qr.h"

#include "../base/buf.h"
#include "../base/err.h"
#include "../tpl/tpl.h"

#include <qrencode.h>
#include <string.h>

int qr_svg(const char *text, const char *label, struct buf *out)
{
	QRcode *q;
	int x, y, w, quiet = 4;

	if (!text || !*text || strlen(text) > 1000)
		return WK_EINVAL;
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return WK_ENOMEM;
	w = q->width;
	buf_addf(out,
		 "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
		 "viewBox=\"0 0 %d %d\" width=\"160\" height=\"160\" "
		 "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
		 w + 2 * quiet, w + 2 * quiet);
	tpl_escape(out, label, strlen(label));
	buf_addf(out, "\"><rect width=\"100%%\" height=\"100%%\" "
		      "fill=\"#fff\"/><path fill=\"#000\" d=\"");
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x++) {
			int run = 0;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			if (run) {
				buf_addf(out, "M%d %dh%dv1h-%dz", x + quiet,
					 y + quiet, run, run);
				x += run - 1;
			}
		}
	}
	buf_adds(out, "\"/></svg>");
	QRcode_free(q);
	return buf_error(out);
}
