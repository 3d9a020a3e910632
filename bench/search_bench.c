/*
 * search_bench.c - the search benchmark's program (run by bench/search).
 *
 *   search-bench gen DIR N        N generated documents (~3,000
 *                                 characters each) into data folder DIR
 *   search-bench run DIR PORT     latencies of the raw FTS5 query and of
 *                                 the search page (GET /search on the
 *                                 server at PORT over DIR), per query
 *                                 class, in one run
 *
 * Text: words drawn with the frequencies of jieba's dictionary
 * (tests/unit/search_corpus.c). Queries: words of 1-4 characters and
 * pairs of 2-character words, drawn the same way (common words are
 * searched more), each class 60 queries x 3 runs.
 */
#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/search/search.h"
#include "../src/store/store.h"
#include "../tests/unit/search_corpus.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int gen(const char *dir, int n)
{
	static const char *formats[] = { "docx", "pdf", "pptx", "txt" };
	char err[256], hex[65];
	struct store *s = store_open(dir, err, sizeof(err));
	struct store_category cat[4] = {
		{ .slug = "a", .name = "党建" }, { .slug = "b", .name = "总结" },
		{ .slug = "c", .name = "计划" }, { .slug = "d", .name = "讲话" },
	};
	struct corpus c;
	double t0 = now_ms();
	int i, j;

	if (!s) {
		fprintf(stderr, "store: %s\n", err);
		return 1;
	}
	if (corpus_load(&c, CORPUS_DICT, 42)) {
		fprintf(stderr, "missing %s (apt-get install python3-jieba)\n",
			CORPUS_DICT);
		return 1;
	}
	for (i = 0; i < 4; i++)
		store_category_insert(s, &cat[i]);
	store_blob_put(s, "bench", 5, hex);
	store_write_begin(s);
	for (i = 0; i < n; i++) {
		struct store_block bl[10];
		struct buf title, body[10];
		struct store_doc d = { 0 };
		int64_t at = 0;

		buf_init(&title, 0);
		for (j = 0; j < 3; j++)
			buf_adds(&title, corpus_word(&c));
		for (j = 0; j < 10; j++) {
			buf_init(&body[j], 0);
			corpus_text(&c, &body[j], 295);
			bl[j].kind = 0;
			bl[j].level = 0;
			bl[j].char_start = at;
			bl[j].text = buf_str(&body[j]);
			at += 300;
		}
		d.title = buf_str(&title);
		d.format = formats[i % 4];
		d.sha256 = hex;
		d.size = 1;
		d.chars = at;
		d.price = (int)(corpus_rand(&c) % 3) * 5;
		d.vip_free = corpus_rand(&c) % 4 == 0;
		d.category_id = cat[i % 4].id;
		d.status = "published";
		d.created_at = d.published_at = 1700000000 + i;
		if (store_doc_insert(s, &d, bl, 10)) {
			fprintf(stderr, "insert failed\n");
			return 1;
		}
		buf_release(&title);
		for (j = 0; j < 10; j++)
			buf_release(&body[j]);
		if (i % 1000 == 999) {
			store_write_commit(s);
			store_write_begin(s);
		}
	}
	store_write_commit(s);
	printf("generated %d documents in %.1f s\n", n,
	       (now_ms() - t0) / 1000);
	corpus_free(&c);
	store_close(s);
	return 0;
}

/* One GET on a new connection; its time in ms, or -1. */
static double http_get_ms(int port, const char *path, size_t *bytes)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char req[2048], buf[65536];
	double t0 = now_ms();
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok = 0;
	ssize_t k;

	*bytes = 0;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: "
		 "search-bench\r\nConnection: close\r\n\r\n",
		 path);
	if (write(fd, req, strlen(req)) < 0) {
		close(fd);
		return -1;
	}
	while ((k = read(fd, buf, sizeof(buf))) > 0) {
		if (*bytes == 0 && k > 12 && !memcmp(buf + 9, "200", 3))
			ok = 1;
		*bytes += (size_t)k;
	}
	close(fd);
	return ok ? now_ms() - t0 : -1;
}

static void url_enc(const char *s, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ') {
			*out++ = '+';
		} else {
			*out++ = '%';
			*out++ = hex[ch >> 4];
			*out++ = hex[ch & 15];
		}
	}
	*out = '\0';
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

#define NQ 60
#define REPS 3

static int run(const char *dir, int port)
{
	static const char *names[] = { "1 char", "2 chars", "3 chars",
				       "4 chars", "two words" };
	char err[256];
	struct store *s = store_open(dir, err, sizeof(err));
	struct corpus c;
	int cls, i, r;

	if (!s || corpus_load(&c, CORPUS_DICT, 777)) {
		fprintf(stderr, "cannot open %s or the dictionary\n", dir);
		return 1;
	}
	printf("%-10s %9s %9s %9s %9s %7s %7s %8s\n", "query", "raw p50",
	       "raw p99", "page p50", "page p99", "p50 x", "hits", "bytes");
	for (cls = 0; cls < 5; cls++) {
		double raw[NQ * REPS], page[NQ * REPS];
		int nr = 0, np = 0;
		long hits = 0;
		size_t bytes = 0;

		for (i = 0; i < NQ; i++) {
			char q[256], path[1024], e[800];
			struct arena *a = arena_new(0);
			struct search_query sq;
			struct buf m;
			int64_t ids[20];
			size_t n;

			if (cls < 4)
				snprintf(q, sizeof(q), "%s",
					 corpus_word_len(&c, (size_t)cls + 1));
			else
				snprintf(q, sizeof(q), "%s %s",
					 corpus_word_len(&c, 2),
					 corpus_word_len(&c, 2));
			search_query_parse(a, q, strlen(q), &sq);
			buf_init(&m, 0);
			search_query_fts(&sq, &m);
			url_enc(q, e);
			snprintf(path, sizeof(path), "/search?q=%s", e);
			for (r = 0; r < REPS; r++) {
				double t0 = now_ms(), t;
				size_t b;
				if (store_search_raw(s, buf_str(&m), 20, ids,
						     &n) == 0)
					raw[nr++] = now_ms() - t0;
				hits += (long)n;
				t = http_get_ms(port, path, &b);
				if (t >= 0)
					page[np++] = t;
				bytes += b;
			}
			buf_release(&m);
			arena_free(a);
		}
		qsort(raw, (size_t)nr, sizeof(double), cmp_d);
		qsort(page, (size_t)np, sizeof(double), cmp_d);
		if (!nr || !np) {
			printf("%-10s failed\n", names[cls]);
			continue;
		}
		printf("%-10s %7.2fms %7.2fms %7.2fms %7.2fms %6.2fx %7.1f %8zu\n",
		       names[cls], pct(raw, nr, .5), pct(raw, nr, .99),
		       pct(page, np, .5), pct(page, np, .99),
		       pct(page, np, .5) / pct(raw, nr, .5),
		       (double)hits / nr, bytes / (size_t)np);
	}
	corpus_free(&c);
	store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "run"))
		return run(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: search-bench gen DIR N | run DIR PORT\n");
	return 2;
}
