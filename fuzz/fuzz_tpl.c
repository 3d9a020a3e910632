/*
 * fuzz_tpl.c - fuzz harness for the template compiler and renderer.
 *
 * The input is compiled as template "t" next to fixed partials ("p" and
 * the self-including "r"); when it compiles it is rendered against a small
 * fixed context of strings, numbers, lists and maps. Beyond "no crash, no
 * leak, no bad read" it checks two invariants: a failed render leaves the
 * output buffer as it found it, and tpl_escape never lets a special byte
 * through.
 */
#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/base/err.h"
#include "../src/tpl/tpl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fuzz_tpl(const uint8_t *data, size_t size);

/* Lists hold at most two items and the input's sections and partials are
 * counted before rendering, so nested loops stay within 2^16 iterations:
 * slow inputs would only hide the interesting ones. */
#define FUZZ_MAX_LOOPS 16
#define FUZZ_OUT_MAX ((size_t)64 << 10)

static struct tpl_val *fuzz_ctx(struct arena *a)
{
	struct tpl_val *root = tv_map(a), *l, *m, *k, *k2;

	tv_set_str(a, root, "name", "<b>\"wenku\" & 'co'</b>");
	tv_set_str(a, root, "empty", "");
	tv_set_int(a, root, "n", -9223372036854775807 - 1);
	tv_set_int(a, root, "zero", 0);
	tv_set_bool(a, root, "yes", true);
	tv_set_bool(a, root, "no", false);
	tv_set_str(a, root, "nil", NULL);

	l = tv_set(a, root, "list", tv_list(a));
	tv_push(a, l, tv_str(a, "a<"));
	tv_push(a, l, tv_int(a, 7));
	tv_set(a, root, "none", tv_list(a));

	l = tv_set(a, root, "users", tv_list(a));
	m = tv_push(a, l, tv_map(a));
	tv_set_str(a, m, "name", "ann");
	k = tv_set(a, m, "tags", tv_list(a));
	tv_push(a, k, tv_str(a, "x"));
	m = tv_push(a, l, tv_map(a));
	tv_set_str(a, m, "name", "bob");
	tv_set(a, m, "list", tv_list(a));

	m = tv_set(a, root, "doc", tv_map(a));
	tv_set_str(a, m, "title", "T'");
	k = tv_set(a, m, "author", tv_map(a));
	tv_set_str(a, k, "name", "A&B");

	l = tv_set(a, root, "grid", tv_list(a));
	k = tv_push(a, l, tv_list(a));
	tv_push(a, k, tv_bool(a, true));
	tv_push(a, l, tv_list(a));

	/* a two-level thread for the self-including partial "r" */
	l = tv_set(a, root, "kids", tv_list(a));
	k = tv_push(a, l, tv_map(a));
	tv_set_str(a, k, "name", "1");
	k2 = tv_set(a, k, "kids", tv_list(a));
	k2 = tv_push(a, k2, tv_map(a));
	tv_set_str(a, k2, "name", "1.1");
	tv_set(a, k2, "kids", tv_list(a));
	k = tv_push(a, l, tv_map(a));
	tv_set_str(a, k, "name", "2");
	tv_set(a, k, "kids", tv_list(a));
	return root;
}

/* tpl_escape's output must hold no < > " ' and only entity ampersands. */
static void fuzz_check_escape(const uint8_t *data, size_t size)
{
	static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					   "&#39;"};
	struct buf b;
	size_t i, j;

	buf_init(&b, 0);
	tpl_escape(&b, (const char *)data, size);
	if (buf_error(&b))
		abort();
	for (i = 0; i < b.len; i++) {
		char c = b.data[i];
		if (c == '<' || c == '>' || c == '"' || c == '\'')
			abort();
		if (c != '&')
			continue;
		for (j = 0; j < 5; j++)
			if (!strncmp(b.data + i, ents[j], strlen(ents[j])))
				break;
		if (j == 5)
			abort();
	}
	buf_release(&b);
}

static size_t fuzz_loops(const char *s)
{
	size_t k = 0;

	for (; *s; s++)
		k += *s == '#' || *s == '>';
	return k;
}

int fuzz_tpl(const uint8_t *data, size_t size)
{
	const char *names[] = {"t", "p", "r"};
	const char *srcs[3];
	char err[256], *src;
	struct tpl_set *set;
	struct arena *a;
	struct buf out;
	int rc;

	fuzz_check_escape(data, size);
	src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	srcs[0] = src;
	srcs[1] = "<p title=\"{{name}}\">{{{name}}}{{#list}}[{{.}}]{{/list}}"
		  "{{^none}}-{{/none}}</p>";
	srcs[2] = "{{#kids}}({{name}}{{> r}}){{/kids}}";

	err[0] = '\0';
	set = tpl_set_compile(names, srcs, 3, err, sizeof(err));
	if (!set) {
		/* every compile error names the file and line */
		if (strncmp(err, "templates/", 10) != 0)
			abort();
		free(src);
		return 0;
	}
	if (fuzz_loops(src) <= FUZZ_MAX_LOOPS) {
		a = arena_new(0);
		buf_init(&out, FUZZ_OUT_MAX);
		rc = tpl_render(set, "t", a ? fuzz_ctx(a) : NULL, &out);
		if (rc != 0 && out.len != 0)
			abort();
		if (rc != 0 && rc != WK_EINVAL && rc != WK_ETOOBIG &&
		    rc != WK_ENOMEM)
			abort();
		buf_release(&out);
		arena_free(a);
	}
	tpl_set_free(set);
	free(src);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_tpl(d, n); return 0; }
#endif
