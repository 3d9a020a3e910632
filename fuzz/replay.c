/*
 * replay.c - runs every fuzz harness over its checked-in corpus
 * (the files in fuzz/corpus/NAME/) as a regression test, under the sanitizers.
 * Ends with "N passed, N failed"; a crash or sanitizer report aborts.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fuzz_tpl(const uint8_t *data, size_t size);
int fuzz_docx(const uint8_t *data, size_t size);
int fuzz_pptx(const uint8_t *data, size_t size);
int fuzz_xlsx(const uint8_t *data, size_t size);
int fuzz_txt(const uint8_t *data, size_t size);
int fuzz_http(const uint8_t *data, size_t size);
int fuzz_frame(const uint8_t *data, size_t size);
int fuzz_json(const uint8_t *data, size_t size);
int fuzz_pdf(const uint8_t *data, size_t size);
int fuzz_odt(const uint8_t *data, size_t size);
int fuzz_epub(const uint8_t *data, size_t size);
int fuzz_md(const uint8_t *data, size_t size);
int fuzz_trace(const uint8_t *data, size_t size);
int fuzz_search(const uint8_t *data, size_t size);
int fuzz_fragment(const uint8_t *data, size_t size);
int fuzz_startcfg(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} harnesses[] = {
	{ "tpl", fuzz_tpl },
	{ "docx", fuzz_docx },
	{ "pptx", fuzz_pptx },
	{ "xlsx", fuzz_xlsx },
	{ "txt", fuzz_txt },
	{ "http", fuzz_http },
	{ "frame", fuzz_frame },
	{ "json", fuzz_json },
	{ "pdf", fuzz_pdf },
	{ "odt", fuzz_odt },
	{ "epub", fuzz_epub },
	{ "md", fuzz_md },
	{ "trace", fuzz_trace },
	{ "search", fuzz_search },
	{ "fragment", fuzz_fragment },
	{ "startcfg", fuzz_startcfg },
};

static int run_file(const char *path, int (*fn)(const uint8_t *, size_t))
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	fn(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "fuzz/corpus";
	int passed = 0, failed = 0;
	size_t i;

	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		char dir[1024], path[2048];
		struct dirent *de;
		int files = 0;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", root, harnesses[i].name);
		d = opendir(dir);
		if (!d) {
			printf("FAIL %s: no corpus at %s\n", harnesses[i].name,
			       dir);
			failed++;
			continue;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (run_file(path, harnesses[i].fn)) {
				printf("FAIL %s: cannot read %s\n",
				       harnesses[i].name, path);
				failed++;
				continue;
			}
			files++;
		}
		closedir(d);
		if (files) {
			printf("ok   fuzz corpus %s (%d inputs)\n",
			       harnesses[i].name, files);
			passed++;
		} else {
			printf("FAIL %s: empty corpus\n", harnesses[i].name);
			failed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
