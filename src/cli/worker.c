/*
 * worker.c - `wenku worker`: the sandboxed conversion process.
 *
 * Spawned by sandbox_convert() with the file on stdin and a pipe on
 * stdout. Prepares what parsing needs from the file system (character
 * set converters), enters the sandbox, then reads the untrusted bytes,
 * parses them and writes one result frame. Exit codes: 0 a frame was
 * written, 2 bad arguments, 3 out of memory, 4 the sandbox could not be
 * entered.
 *
 * `--avatar N` makes a profile picture instead (sandbox_avatar()), and
 * `--stamp-pdf MARK` a PDF with a download mark stamped in
 * (sandbox_stamp_pdf()): the raw result out, or "ERR message".
 *
 * `--selftest ACT` enters the sandbox and then tries something the
 * sandbox must stop (open, socket, exec, alloc, spin) or, with "wait",
 * blocks on stdin so a test can inspect /proc/PID/status.
 */
#include "cli.h"

#include "../base/buf.h"
#include "../base/err.h"
#include "../domain/preview.h"
#include "../domain/sandbox.h"
#include "../parse/frame.h"
#include "../parse/parse.h"
#include "../parse/render.h"
#include "../parse/stamp.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int selftest(const char *act)
{
	volatile char *p;
	size_t i;

	if (!strcmp(act, "open"))
		return open("/etc/hostname", O_RDONLY) >= 0 ? 0 : 10;
	if (!strcmp(act, "socket"))
		return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 10;
	if (!strcmp(act, "exec")) {
		char *argv[] = { (char *)"/bin/true", NULL };
		execv("/bin/true", argv);
		return 10;
	}
	if (!strcmp(act, "alloc")) {
		p = malloc((size_t)2 << 30);
		if (!p)
			return 3;
		for (i = 0; i < ((size_t)2 << 30); i += 4096)
			p[i] = 1;
		return 0;
	}
	if (!strcmp(act, "spin")) {
		for (volatile unsigned long n = 0;; n++)
			;
	}
	if (!strcmp(act, "wait")) {
		char c;
		return read(0, &c, 1) >= 0 ? 0 : 10;
	}
	return 2;
}

/* Fonts for the watermark on page images, first found wins. */
static const char *const font_paths[] = {
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
};

void worker_load_font(struct buf *font)
{
	size_t i;

	for (i = 0; i < sizeof(font_paths) / sizeof(font_paths[0]); i++) {
		int fd = open(font_paths[i], O_RDONLY | O_CLOEXEC);
		char chunk[65536];
		ssize_t n;

		if (fd < 0)
			continue;
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			buf_add(font, chunk, (size_t)n);
		close(fd);
		if (!buf_error(font) && font->len)
			return;
		buf_reset(font);
	}
}

#define PAGE_WIDTH 800
#define COVER_WIDTH 240

/* Render the free preview pages (and the cover) of a PDF into r. Page
 * images are an extra: a page that cannot be drawn ends the images, not
 * the conversion. */
static void render_pages(const struct buf *in, struct parse_result *r,
			 int share, const char *watermark,
			 const struct buf *font)
{
	struct preview_opts po = { .share = share };
	struct parse_limits lim;
	int n = preview_pages(r->pages, &po), i;
	char err[256];

	if (n <= 0 || r->format != PF_PDF)
		return;
	r->images = calloc((size_t)n + 1, sizeof(*r->images));
	if (!r->images)
		return;
	parse_default_limits(&lim);
	for (i = 0; i <= n; i++) {
		struct parse_image *im = &r->images[r->nimages];
		int rc = i == 0
			 ? parse_render_cover(in->data, in->len, COVER_WIDTH,
					      &lim, &im->png, &im->len, err,
					      sizeof(err))
			 : parse_render_page(in->data, in->len, i - 1,
					     PAGE_WIDTH, watermark,
					     font->len ? font->data : NULL,
					     font->len, &lim, &im->png,
					     &im->len, err, sizeof(err));
		if (rc || im->len < 24) {
			free(im->png);
			im->png = NULL;
			break;
		}
		im->page = i;
		im->width = (int)((uint32_t)im->png[16] << 24 |
				  (uint32_t)im->png[17] << 16 |
				  (uint32_t)im->png[18] << 8 | im->png[19]);
		im->height = (int)((uint32_t)im->png[20] << 24 |
				   (uint32_t)im->png[21] << 16 |
				   (uint32_t)im->png[22] << 8 | im->png[23]);
		r->nimages++;
	}
}

static int worker(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "selftest", required_argument, NULL, 's' },
		{ "share", required_argument, NULL, 'S' },
		{ "watermark", required_argument, NULL, 'w' },
		{ "avatar", required_argument, NULL, 'A' },
		{ "stamp-pdf", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_limits lim;
	const char *test = NULL, *watermark = "", *stamp = NULL;
	struct buf in, font;
	int share = 0, avatar = 0;
	char err[512];
	int c;

	sandbox_default_limits(&lim);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': lim.mem_bytes = strtoull(optarg, NULL, 10); break;
		case 'c': lim.cpu_seconds = (unsigned)atoi(optarg); break;
		case 's': test = optarg; break;
		case 'S': share = atoi(optarg); break;
		case 'w': watermark = optarg; break;
		case 'A': avatar = atoi(optarg); break;
		case 'P': stamp = optarg; break;
		default: return 2;
		}
	}
	if (lim.mem_bytes < ((size_t)64 << 20) || lim.cpu_seconds < 1)
		return 2;
	/* Times in a file (zip entry dates) need no time-zone file. */
	setenv("TZ", "UTC0", 1);
	tzset();
	parse_preload();
	/* The input is read before the sandbox closes in, but not parsed:
	 * only its first bytes decide whether the watermark font is needed
	 * (page images of PDFs). */
	buf_init(&in, lim.max_input);
	buf_init(&font, (size_t)64 << 20);
	if (!test) {
		worker_read_input(&in);
		if (share > 0 && in.len > 5 && !memcmp(in.data, "%PDF-", 5))
			worker_load_font(&font);
	}
	if (sandbox_enter(&lim, err, sizeof(err))) {
		fprintf(stderr, "wenku worker: %s\n", err);
		_exit(4);
	}
	if (test)
		_exit(selftest(test));
	if (avatar || stamp) {
		/* A profile picture or a stamped PDF: the raw result out, or
		 * "ERR message". */
		unsigned char *res;
		size_t n;
		int rc;
		if (buf_error(&in) == WK_ENOMEM)
			_exit(3);
		if (avatar) {
			rc = parse_render_avatar(in.data, in.len, avatar, NULL,
						 &res, &n, err, sizeof(err));
		} else {
			struct parse_limits pl;
			parse_default_limits(&pl);
			pl.max_memory = lim.mem_bytes / 3 * 2;
			pl.max_seconds = lim.cpu_seconds;
			rc = buf_error(&in)
				     ? WK_ETOOBIG
				     : parse_stamp_pdf(in.data ? in.data : "",
						       in.len, stamp, &pl, &res,
						       &n, err, sizeof(err));
			if (rc == WK_ETOOBIG && buf_error(&in))
				snprintf(err, sizeof(err), "the file is too "
							   "large");
		}
		if (rc == WK_ENOMEM)
			_exit(3);
		if (rc) {
			char line[600];
			int k = snprintf(line, sizeof(line), "ERR %s", err);
			_exit(write_all(1, line, (size_t)k) ? 1 : 0);
		}
		_exit(write_all(1, (const char *)res, n) ? 1 : 0);
	}

	worker_convert(&in, share, watermark, &font);
}

void worker_read_input(struct buf *in)
{
	for (;;) {
		char chunk[65536];
		ssize_t n = read(0, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(in, chunk, (size_t)n);
		if (buf_error(in))
			break;
	}
}

void worker_convert(struct buf *in, int share, const char *watermark,
		    const struct buf *font)
{
	struct parse_result r;
	struct buf out;
	char err[512];
	int rc;

	buf_init(&out, 0);
	if (buf_error(in) == WK_ENOMEM) {
		_exit(3);
	} else if (buf_error(in)) {
		frame_put_error(&out, WK_ETOOBIG, "the file is too large");
	} else {
		rc = parse_document(in->data ? in->data : "", in->len, NULL,
				    &r, err, sizeof(err));
		if (rc == WK_ENOMEM)
			_exit(3);
		if (rc) {
			frame_put_error(&out, rc, err);
		} else {
			render_pages(in, &r, share, watermark, font);
			frame_put_result(&out, &r);
			parse_result_release(&r);
		}
	}
	if (buf_error(&out))
		_exit(3);
	rc = write_all(1, out.data, out.len);
	/* _exit: no atexit handlers (a leak checker would need system
	 * calls the sandbox forbids). */
	_exit(rc ? 1 : 0);
}

const struct cli_command cli_worker = {
	"worker", "(internal) convert one file from stdin in a sandbox",
	worker,
};
