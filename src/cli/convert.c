/*
 * convert.c - `wenku convert FILE [--json]`: run one conversion through
 * the same sandboxed worker the site uses and print what came out, or
 * the rejection reason on stderr with a non-zero exit. The operator's
 * tool for a file that fails.
 */
#include "cli.h"

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/utf8.h"
#include "../domain/sandbox.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_read_file(const char *path, size_t max, unsigned char **data,
		  size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	*data = NULL;
	if (!f) {
		fprintf(stderr, "wenku: cannot open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		fprintf(stderr, "wenku: %s is not a regular file of at most "
				"%zu MiB\n", path, max >> 20);
		fclose(f);
		return -1;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len + 1);
	if (!*data || fread(*data, 1, *len, f) != *len) {
		fprintf(stderr, "wenku: cannot read %s\n", path);
		free(*data);
		*data = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Characters of text, line breaks between blocks not counted (as the
 * site counts a document's characters). */
static size_t text_chars(const struct parse_result *r)
{
	size_t i, n = 0;
	for (i = 0; i < r->nblocks; i++)
		n += utf8_count(r->blocks[i].text, r->blocks[i].len);
	return n;
}

static int convert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sandbox_limits lim;
	struct sandbox_stats st;
	struct parse_result r;
	const char *format;
	unsigned char *data;
	char err[512];
	size_t len;
	int c, json = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h':
			printf("usage: wenku convert FILE [--json]\n");
			return 0;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: wenku convert FILE [--json]\n");
		return 2;
	}
	sandbox_default_limits(&lim);
	if (cli_read_file(argv[optind], lim.max_input, &data, &len))
		return 1;
	rc = sandbox_convert_any(sandbox_self_exe(), NULL, data, len, &lim, &r,
				 &format, err, sizeof(err), &st);
	free(data);
	if (rc) {
		fprintf(stderr, "wenku: %s: %s\n", argv[optind], err);
		if (json) {
			struct buf b;
			buf_init(&b, 0);
			buf_adds(&b, "{\"error\":");
			json_cstr(&b, err);
			buf_addf(&b, ",\"worker\":{\"ms\":%ld,\"peak_rss_kb\":"
				     "%ld,\"signal\":%d}}\n",
				 st.wall_ms, st.peak_rss_kb, st.signal);
			fwrite(buf_str(&b), 1, b.len, stdout);
			buf_release(&b);
		}
		return 1;
	}
	if (json) {
		struct buf b;
		buf_init(&b, 0);
		buf_adds(&b, "{\"format\":");
		json_cstr(&b, format);
		buf_adds(&b, ",\"title\":");
		json_cstr(&b, r.title);
		buf_adds(&b, ",\"author\":");
		json_cstr(&b, r.author);
		buf_addf(&b, ",\"pages\":%d,\"pages_estimated\":%s", r.pages,
			 r.pages_estimated ? "true" : "false");
		buf_addf(&b, ",\"chars\":%zu,\"text\":", text_chars(&r));
		json_str(&b, r.text, r.text_len);
		buf_addf(&b, ",\"worker\":{\"ms\":%ld,\"peak_rss_kb\":%ld}}\n",
			 st.wall_ms, st.peak_rss_kb);
		fwrite(buf_str(&b), 1, b.len, stdout);
		buf_release(&b);
	} else {
		printf("format: %s\ntitle: %s\nauthor: %s\npages: %d%s\n\n",
		       format, r.title ? r.title : "",
		       r.author ? r.author : "", r.pages,
		       r.pages_estimated ? " (estimated)" : "");
		fwrite(r.text, 1, r.text_len, stdout);
		putchar('\n');
	}
	parse_result_release(&r);
	return 0;
}

const struct cli_command cli_convert = {
	"convert", "convert one file in the sandbox and print its text",
	convert,
};
