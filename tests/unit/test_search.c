/* test_search.c - full-text search: the tokenizer (offsets, bigrams,
 * folding), the query builder (nothing of the reader's reaches FTS5's
 * syntax), snippets and highlights, and searches over a generated
 * Chinese corpus checked against a brute-force scan of the same text. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/base/utf8.h"
#include "../../src/domain/docsearch.h"
#include "../../src/domain/preview.h"
#include "../../src/search/search.h"
#include "../../src/store/store.h"
#include "search_corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- tokenizer -----------------------------------------------------------*/

struct toklist {
	char s[2048];
};

static int tok_fmt(void *ctx, const struct search_token *t)
{
	struct toklist *l = ctx;
	size_t n = strlen(l->s);
	snprintf(l->s + n, sizeof(l->s) - n, "%s%.*s@%zu-%zu%s", n ? " " : "",
		 (int)t->len, t->text, t->start, t->end,
		 t->colocated ? "=" : "");
	return 0;
}

static const char *toks(const char *s, enum search_mode m)
{
	static struct toklist l;
	l.s[0] = '\0';
	search_tokenize(s, strlen(s), m, tok_fmt, &l);
	return l.s;
}

TEST(search_tokenizer_bigrams_words_and_offsets)
{
	static const struct {
		const char *in, *doc, *query;
	} cases[] = {
		{ "中国人", "中国@0-6 国人@3-9 人@6-9=", "中国@0-6 国人@3-9" },
		{ "中", "中@0-3", "中@0-3" },
		{ "中，国", "中@0-3 国@6-9", "中@0-3 国@6-9" },
		{ "Hello, World 42", "hello@0-5 world@7-12 42@13-15",
		  "hello@0-5 world@7-12 42@13-15" },
		/* full-width letters fold to ASCII, offsets stay on the
		 * original bytes */
		{ "ＡＢＣ中国", "abc@0-9 中国@9-15 国@12-15=",
		  "abc@0-9 中国@9-15" },
		{ "iPhone手机2", "iphone@0-6 手机@6-12 机@9-12= 2@12-13",
		  "iphone@0-6 手机@6-12 2@12-13" },
		{ "Café", "cafe@0-5", "cafe@0-5" },
		{ "", "", "" },
		{ "\xff\xfe中\x80国", "中@2-5 国@6-9", "中@2-5 国@6-9" },
		/* compatibility ideograph folds to the unified one */
		{ "\xef\xa4\x80", "豈@0-3", "豈@0-3" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_STR(toks(cases[i].in, SEARCH_DOCUMENT), cases[i].doc);
		CHECK_STR(toks(cases[i].in, SEARCH_QUERY), cases[i].query);
	}
}

TEST(search_tokenizer_caps_long_words)
{
	char w[300];
	memset(w, 'a', 200);
	w[200] = '\0';
	/* first SEARCH_TOKEN_MAX bytes, but the range covers the word */
	CHECK(strstr(toks(w, SEARCH_DOCUMENT), "@0-200") != NULL);
	CHECK(strlen(toks(w, SEARCH_DOCUMENT)) == SEARCH_TOKEN_MAX + 6);
}

/* ---- queries -------------------------------------------------------------*/

static const char *fts_of(struct arena *a, const char *q)
{
	static char out[4096];
	struct search_query sq;
	struct buf b;

	out[0] = '\0';
	if (search_query_parse(a, q, strlen(q), &sq))
		return "(error)";
	buf_init(&b, 0);
	search_query_fts(&sq, &b);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

TEST(search_query_builds_quoted_phrases)
{
	static const struct {
		const char *q, *fts;
	} cases[] = {
		{ "中", "\"中\"*" },
		{ "中国", "\"中国\"" },
		{ "中华人民", "\"中华 华人 人民\"" },
		{ "中国 经济", "\"中国\" AND \"经济\"" },
		{ "中国，经济", "\"中国\" AND \"经济\"" },
		{ "\"中国 经济\"", "\"中国 经济\"" },
		{ "“中国 经济”", "\"中国 经济\"" },
		{ "abc国", "\"abc 国\"*" },
		{ "国abc", "\"国 abc\"" },
		{ "A", "\"a\"*" },
		{ "Ｗｅｎｋｕ", "\"wenku\"" },
		/* FTS5 syntax in the query is only separators */
		{ "a OR b NOT c", "\"a\"* AND \"or\" AND \"b\"* AND \"not\" AND "
				  "\"c\"*" },
		{ "title:中国 NEAR(x y) ^z *", "\"title\" AND \"中国\" AND "
					   "\"near\" AND \"x\"* AND \"y\"* AND "
					   "\"z\"*" },
		{ "\"\"\"", "" },
		{ "*^:()-+", "" },
		{ "", "" },
	};
	struct arena *a = arena_new(0);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(fts_of(a, cases[i].q), cases[i].fts);
	arena_free(a);
}

TEST(search_query_is_capped)
{
	struct arena *a = arena_new(0);
	struct search_query q;
	char long_q[2000] = "";
	int i;

	for (i = 0; i < 150; i++)
		strcat(long_q, "字");
	CHECK(search_query_parse(a, long_q, strlen(long_q), &q) == 0);
	CHECK(utf8_count(q.text, strlen(q.text)) == SEARCH_QUERY_MAX_CHARS);
	CHECK(q.n == 1 && q.p[0].ntok == SEARCH_QUERY_MAX_CHARS - 1);
	long_q[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(long_q, "a ");
	CHECK(search_query_parse(a, long_q, strlen(long_q), &q) == 0);
	CHECK(q.n == SEARCH_MAX_PHRASES);
	arena_free(a);
}

/* ---- snippets ------------------------------------------------------------*/

/* The snippet as text with [highlights] and ... marks. */
static const char *show(const char *text, const struct search_snippet *sn)
{
	static char out[4096];
	size_t i, n = 0;

	out[0] = '\0';
	if (sn->lead)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "...");
	for (i = 0; i < sn->n; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n,
				      sn->seg[i].hl ? "[%.*s]" : "%.*s",
				      (int)sn->seg[i].len,
				      text + sn->seg[i].off);
	if (sn->trail)
		snprintf(out + n, sizeof(out) - n, "...");
	return out;
}

TEST(search_snippet_highlights_original_characters)
{
	struct arena *a = arena_new(0);
	struct search_query q;
	struct search_snippet sn;
	const char *t = "我们要学习ＡＢＣ和中国人民的精神，学习中国。";

	search_query_parse(a, "abc", 3, &q);
	CHECK(search_highlight(a, t, strlen(t), &q, &sn) == 0);
	CHECK_STR(show(t, &sn), "我们要学习[ＡＢＣ]和中国人民的精神，学习中国。");
	search_query_parse(a, "中国", strlen("中国"), &q);
	search_highlight(a, t, strlen(t), &q, &sn);
	CHECK_STR(show(t, &sn), "我们要学习ＡＢＣ和[中国]人民的精神，学习[中国]。");
	/* one character: the first half of a bigram, or a run's end */
	search_query_parse(a, "国", strlen("国"), &q);
	search_highlight(a, t, strlen(t), &q, &sn);
	CHECK_STR(show(t, &sn), "我们要学习ＡＢＣ和中[国]人民的精神，学习中[国]。");
	search_query_parse(a, "中国人民", strlen("中国人民"), &q);
	search_highlight(a, t, strlen(t), &q, &sn);
	CHECK_STR(show(t, &sn), "我们要学习ＡＢＣ和[中国人民]的精神，学习中国。");
	search_query_parse(a, "学习 精神", strlen("学习 精神"), &q);
	search_highlight(a, t, strlen(t), &q, &sn);
	CHECK(sn.matched == 2);
	CHECK_STR(show(t, &sn), "我们要[学习]ＡＢＣ和中国人民的[精神]，[学习]中国。");
	/* a window around the hit */
	search_query_parse(a, "精神", strlen("精神"), &q);
	search_snippet(a, t, strlen(t), &q, 6, &sn);
	CHECK_STR(show(t, &sn), "...的[精神]，学习...");
	/* none found: the start */
	search_query_parse(a, "没有", strlen("没有"), &q);
	search_snippet(a, t, strlen(t), &q, 4, &sn);
	CHECK(sn.matched == 0);
	CHECK_STR(show(t, &sn), "我们要学...");
	arena_free(a);
}

/* ---- the generated corpus --------------------------------------------------*/

#define NDOCS 240
#define NBLOCKS 6
#define BLOCK_CHARS 260

struct gdoc {
	int64_t id;
	char *title;
	char *blocks[NBLOCKS];
	int64_t chars;
	bool published;
	char *text;		/* blocks joined by spaces */
	size_t preview_bytes;	/* of text: what the preview may show */
	size_t shown_bytes;	/* of text: what it shows at least (the cut
				 * backs off up to a fifth to a sentence end) */
};

static struct gdoc docs[NDOCS];

static bool doc_has(const struct gdoc *d, const char *w)
{
	int i;
	if (strstr(d->title, w))
		return true;
	for (i = 0; i < NBLOCKS; i++)
		if (strstr(d->blocks[i], w))
			return true;
	return false;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Documents the index finds for q (all pages), sorted by id. */
static size_t index_finds(struct store *s, const char *q, int64_t *ids)
{
	struct arena *a = arena_new(0);
	struct store_search ss = { .limit = 1000 };
	struct store_search_hit *h;
	struct search_query sq;
	struct buf b;
	int64_t total;
	size_t n = 0, i;

	search_query_parse(a, q, strlen(q), &sq);
	buf_init(&b, 0);
	search_query_fts(&sq, &b);
	ss.match = buf_str(&b);
	if (store_search(s, a, &ss, &h, &n, &total) == 0) {
		for (i = 0; i < n; i++)
			ids[i] = h[i].doc.id;
		CHECK(total == (int64_t)n);
	} else {
		CHECK(0);
	}
	/* The quick paths (no filter: the first pages by relevance from
	 * the top matches, newest first through the index) give the same
	 * total and only documents of the exact answer. */
	{
		struct store_search q2 = ss;
		struct store_search_hit *h2;
		int64_t t2;
		size_t n2, j, k;
		int sorts[] = { STORE_SORT_RELEVANCE, STORE_SORT_NEWEST };

		for (k = 0; k < 2; k++) {
			q2.sort = sorts[k];
			q2.limit = k ? 1000 : 20;
			CHECK(store_search(s, a, &q2, &h2, &n2, &t2) == 0);
			CHECK(t2 == total);
			CHECK(n2 == (k ? n : (n < 20 ? n : 20)));
			for (j = 0; j < n2; j++) {
				size_t m;
				for (m = 0; m < n && ids[m] != h2[j].doc.id;
				     m++)
					;
				CHECK(m < n);
			}
		}
	}
	buf_release(&b);
	arena_free(a);
	qsort(ids, n, sizeof(*ids), cmp_id);
	return n;
}

/* The published documents holding every space-separated word of q. */
static size_t brute_finds(const char *q, int64_t *ids)
{
	char words[4][64];
	int nw = 0, i;
	size_t n = 0;
	const char *p = q;

	while (*p && nw < 4) {
		const char *sp = strchr(p, ' ');
		size_t l = sp ? (size_t)(sp - p) : strlen(p);
		snprintf(words[nw++], sizeof(words[0]), "%.*s", (int)l, p);
		p += l;
		while (*p == ' ')
			p++;
	}
	for (i = 0; i < NDOCS; i++) {
		int w, all = docs[i].published;
		for (w = 0; all && w < nw; w++)
			all = doc_has(&docs[i], words[w]);
		if (all)
			ids[n++] = docs[i].id;
	}
	return n;
}

static struct gdoc *doc_by_id(int64_t id)
{
	int i;
	for (i = 0; i < NDOCS; i++)
		if (docs[i].id == id)
			return &docs[i];
	return NULL;
}

/* Check one query's results against the brute-force scan, and every
 * snippet of its first page: from the preview, highlights on the
 * query's own characters. */
static void check_query(struct store *s, const struct site_settings *cfg,
			const char *q, int *checked, int *nonempty)
{
	static int64_t got[NDOCS], want[NDOCS];
	size_t ng = index_finds(s, q, got), nw = brute_finds(q, want), i, k;
	struct docsearch_req rq = { .q = q, .page = 1 };
	struct docsearch_result res;
	struct arena *a = arena_new(0);
	char words[2][64] = { "", "" };
	const char *sp = strchr(q, ' ');

	if (sp) {
		snprintf(words[0], 64, "%.*s", (int)(sp - q), q);
		snprintf(words[1], 64, "%s", sp + 1);
	} else {
		snprintf(words[0], 64, "%s", q);
	}
	(*checked)++;
	if (nw)
		(*nonempty)++;
	if (ng != nw || memcmp(got, want, ng * sizeof(*got))) {
		fprintf(stderr, "    query \"%s\": index %zu, scan %zu\n", q, ng,
			nw);
		CHECK(0);
	}
	CHECK(docsearch_run(s, a, cfg, &rq, &res) == 0);
	CHECK(res.total == (int64_t)nw);
	for (i = 0; i < res.n; i++) {
		struct gdoc *d = doc_by_id(res.hits[i].doc.id);
		char snip[4096] = "", prefix[8192];
		bool any_hl = false;
		if (!d) {
			CHECK(0);
			continue;
		}
		for (k = 0; k < res.hits[i].nsnippet; k++) {
			const struct docsearch_seg *g = &res.hits[i].snippet[k];
			strncat(snip, g->text, sizeof(snip) - strlen(snip) - 1);
			if (g->hl) {
				size_t l0 = strlen(words[0]), l1 = strlen(words[1]);
				size_t gl = strlen(g->text);
				bool ok = (gl >= l0 && !strncmp(g->text, words[0], l0)) ||
					  (l1 && gl >= l1 && !strncmp(g->text, words[1], l1));
				bool ok_end = (gl >= l0 && !strcmp(g->text + gl - l0, words[0])) ||
					      (l1 && gl >= l1 && !strcmp(g->text + gl - l1, words[1]));
				any_hl = true;
				if (!ok || !ok_end) {
					fprintf(stderr, "    \"%s\": highlight \"%s\"\n",
						q, g->text);
					CHECK(0);
				}
			}
		}
		/* The snippet lies inside the preview. */
		snprintf(prefix, sizeof(prefix), "%.*s", (int)d->preview_bytes,
			 d->text);
		if (!strstr(prefix, snip)) {
			fprintf(stderr, "    \"%s\": snippet past the preview: %s\n",
				q, snip);
			CHECK(0);
		}
		/* A word inside the preview is highlighted in the snippet. */
		snprintf(prefix, sizeof(prefix), "%.*s", (int)d->shown_bytes,
			 d->text);
		if (strstr(prefix, words[0]) && !any_hl) {
			fprintf(stderr, "    \"%s\": no highlight in doc %lld\n",
				q, (long long)d->id);
			CHECK(0);
		}
	}
	arena_free(a);
}

TEST(search_corpus_matches_brute_force)
{
	struct site_settings cfg;
	struct preview_opts po = { .share = 30, .min_chars = 500, .every = 500 };
	struct corpus c;
	struct store *s;
	char dir[64] = "/tmp/wenku-unit.XXXXXX", err[256], cmd[128];
	int i, j, checked = 0, nonempty = 0;
	size_t len;

	if (corpus_load(&c, CORPUS_DICT, 20261127) != 0) {
		fprintf(stderr, "    %s is missing: apt-get install "
				"python3-jieba (tools/deps test does)\n",
			CORPUS_DICT);
		CHECK(0);
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.preview_share = 30;
	cfg.preview_min_chars = 500;
	cfg.watermark_every = 500;
	CHECK(mkdtemp(dir) != NULL);
	s = store_open(dir, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		corpus_free(&c);
		return;
	}
	store_write_begin(s);
	for (i = 0; i < NDOCS; i++) {
		struct gdoc *d = &docs[i];
		struct store_block bl[NBLOCKS];
		struct store_doc sd = { 0 };
		struct buf b;
		char hex[65];
		int64_t at = 0, limit;

		buf_init(&b, 0);
		for (j = 0; j < 3; j++)
			buf_adds(&b, corpus_word(&c));
		d->title = strdup(buf_str(&b));
		buf_release(&b);
		for (j = 0; j < NBLOCKS; j++) {
			buf_init(&b, 0);
			corpus_text(&c, &b, BLOCK_CHARS);
			d->blocks[j] = strdup(buf_str(&b));
			buf_release(&b);
			bl[j].kind = 0;
			bl[j].level = 0;
			bl[j].char_start = at;
			bl[j].text = d->blocks[j];
			at += (int64_t)utf8_count(d->blocks[j],
						  strlen(d->blocks[j]));
		}
		d->chars = at;
		/* one in eight is not published: never found */
		d->published = i % 8 != 3;
		buf_init(&b, 0);
		limit = preview_limit(at, &po);
		for (j = 0; j < NBLOCKS; j++) {
			size_t bl_len = strlen(d->blocks[j]);
			int64_t cstart = bl[j].char_start;
			if (j)
				buf_addc(&b, ' ');
			if (cstart < limit) {
				size_t cut = utf8_offset(d->blocks[j], bl_len,
							 (size_t)(limit - cstart));
				d->preview_bytes = b.len + cut;
			}
			if (cstart < limit * 4 / 5) {
				size_t cut = utf8_offset(
					d->blocks[j], bl_len,
					(size_t)(limit * 4 / 5 - cstart));
				d->shown_bytes = b.len + cut;
			}
			buf_add(&b, d->blocks[j], bl_len);
		}
		d->text = strdup(buf_str(&b));
		buf_release(&b);
		store_blob_put(s, d->title, strlen(d->title), hex);
		sd.title = d->title;
		sd.format = "txt";
		sd.sha256 = hex;
		sd.size = 1;
		sd.chars = at;
		sd.status = d->published ? "published" : (i % 16 == 3 ? "removed" : "pending");
		sd.published_at = d->published ? 1700000000 + i : 0;
		CHECK(store_doc_insert(s, &sd, bl, NBLOCKS) == 0);
		d->id = sd.id;
	}
	CHECK(store_write_commit(s) == 0);

	/* Words of 1 to 4 characters drawn by frequency, substrings cut
	 * across word boundaries from the text, and two-word queries. */
	for (len = 1; len <= 4; len++) {
		for (i = 0; i < 12; i++) {
			const char *w = corpus_word_len(&c, len);
			if (w)
				check_query(s, &cfg, w, &checked, &nonempty);
		}
		for (i = 0; i < 8; i++) {
			struct gdoc *d = &docs[corpus_rand(&c) % NDOCS];
			const char *b = d->blocks[corpus_rand(&c) % NBLOCKS];
			size_t bl = strlen(b), chars = utf8_count(b, bl);
			size_t from = corpus_rand(&c) % (chars - len);
			size_t s0 = utf8_offset(b, bl, from);
			size_t s1 = utf8_offset(b, bl, from + len);
			char q[64];
			snprintf(q, sizeof(q), "%.*s", (int)(s1 - s0), b + s0);
			if (!strstr(q, "，") && !strstr(q, "。"))
				check_query(s, &cfg, q, &checked, &nonempty);
		}
	}
	for (i = 0; i < 12; i++) {
		char q[128];
		snprintf(q, sizeof(q), "%s %s", corpus_word_len(&c, 2),
			 corpus_word_len(&c, 2 + (size_t)i % 2));
		check_query(s, &cfg, q, &checked, &nonempty);
	}
	printf("     (%d queries checked, %d with results)\n", checked,
	       nonempty);
	CHECK(nonempty > checked / 2);

	store_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
	for (i = 0; i < NDOCS; i++) {
		free(docs[i].title);
		free(docs[i].text);
		for (j = 0; j < NBLOCKS; j++)
			free(docs[i].blocks[j]);
	}
	corpus_free(&c);
}

/* ---- status, filters, reindex -----------------------------------------------*/

TEST(search_only_published_filters_and_reindex)
{
	struct site_settings cfg = { .preview_share = 30,
				     .preview_min_chars = 20,
				     .watermark_every = 500 };
	char dir[64] = "/tmp/wenku-unit.XXXXXX", err[256], cmd[128];
	struct store_category cat = { .slug = "zj", .name = "总结" };
	struct arena *a = arena_new(0);
	struct docsearch_result res;
	struct docsearch_req rq = { .q = "秘密", .page = 1 };
	struct store_block bl[2] = {
		{ 0, 0, 0, "公开的第一段文字，讲年度工作总结和计划安排的内容。" },
		{ 0, 0, 25, "付费部分才有的秘密段落，这里的文字不能出现在摘要里。" },
	};
	const char *status[3] = { "published", "pending", "removed" };
	struct store *s;
	int64_t ids[3], n;
	char hex[65];
	int i;

	CHECK(mkdtemp(dir) != NULL);
	s = store_open(dir, err, sizeof(err));
	if (!s) {
		CHECK(0);
		arena_free(a);
		return;
	}
	CHECK(store_category_insert(s, &cat) == 0);
	for (i = 0; i < 3; i++) {
		struct store_doc d = { 0 };
		char title[32];
		snprintf(title, sizeof(title), "工作总结%d", i);
		store_blob_put(s, title, strlen(title), hex);
		d.title = title;
		d.format = i ? "pdf" : "docx";
		d.sha256 = hex;
		d.size = 1;
		d.chars = 50;
		d.price = i * 5;
		d.category_id = cat.id;
		d.status = status[i];
		d.published_at = 1700000000;
		CHECK(store_doc_insert(s, &d, bl, 2) == 0);
		ids[i] = d.id;
	}
	/* Found by a word past the preview, but the snippet is the
	 * preview's: nothing of the paid part. */
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0);
	CHECK(res.total == 1 && res.n == 1 && res.hits[0].doc.id == ids[0]);
	for (i = 0; res.n && i < (int)res.hits[0].nsnippet; i++) {
		CHECK(strstr(res.hits[0].snippet[i].text, "秘密") == NULL);
		CHECK(!res.hits[0].snippet[i].hl);
	}
	/* Title matches rank first. */
	rq.q = "总结";
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0);
	CHECK(res.n == 1 && res.hits[0].in_title);
	/* Filters. */
	rq.format = "pdf";
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.total == 0);
	rq.format = "docx";
	rq.price = STORE_PRICE_FREE;
	rq.category = "zj";
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.total == 1);
	rq.price = STORE_PRICE_PAID;
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.total == 0);
	rq.price = STORE_PRICE_ANY;
	rq.category = "no-such";
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == WK_EINVAL);
	rq.category = NULL;
	rq.page = DOCSEARCH_MAX_PAGE + 1;
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == WK_EINVAL);
	rq.page = 2;
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.n == 0 &&
	      res.total == 1);
	rq.page = 1;
	rq.q = "  ，。 ";
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.empty);
	/* A rebuilt index finds the same. */
	CHECK(store_search_reindex(s, &n) == 0 && n == 3);
	rq.q = "秘密";
	rq.format = NULL;
	CHECK(docsearch_run(s, a, &cfg, &rq, &res) == 0 && res.total == 1);
	store_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "    could not remove %s\n", dir);
	arena_free(a);
}
