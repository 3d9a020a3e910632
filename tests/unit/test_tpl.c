/* test_tpl.c - the template engine: values, escaping, sections, partials,
 * compile errors and render-time limits. Most cases are rows of a table
 * rendered against one fixed context (see fixture()). */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/asset.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/tpl/tpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The context every table row renders against. */
static struct tpl_val *fixture(struct arena *a)
{
	struct tpl_val *root = tv_map(a), *l, *u, *m, *g;

	tv_set_str(a, root, "t", "\" onmouseover=\"x");
	tv_set_str(a, root, "lt", "<");
	tv_set_str(a, root, "gt", ">");
	tv_set_str(a, root, "amp", "&");
	tv_set_str(a, root, "quot", "\"");
	tv_set_str(a, root, "apos", "'");
	tv_set_str(a, root, "html", "<b>hi</b>");
	tv_set_str(a, root, "name", "wenku");
	tv_set_str(a, root, "empty", "");
	tv_set_str(a, root, "cjk", "\xe4\xb8\xad\xe6\x96\x87");
	tv_set_int(a, root, "zero", 0);
	tv_set_int(a, root, "one", 1);
	tv_set_int(a, root, "neg", -42);
	tv_set_int(a, root, "min", INT64_MIN);
	tv_set_int(a, root, "max", INT64_MAX);
	tv_set_bool(a, root, "yes", true);
	tv_set_bool(a, root, "no", false);
	tv_set_str(a, root, "nil", NULL);

	l = tv_set(a, root, "items", tv_list(a));
	tv_push(a, l, tv_str(a, "a"));
	tv_push(a, l, tv_str(a, "b"));
	tv_push(a, l, tv_str(a, "c"));
	tv_set(a, root, "none", tv_list(a));

	l = tv_set(a, root, "users", tv_list(a));
	u = tv_push(a, l, tv_map(a));
	tv_set_str(a, u, "name", "ann");
	g = tv_set(a, u, "tags", tv_list(a));
	tv_push(a, g, tv_str(a, "x"));
	tv_push(a, g, tv_str(a, "y"));
	u = tv_push(a, l, tv_map(a));
	tv_set_str(a, u, "name", "bob");
	tv_set(a, u, "tags", tv_list(a));

	m = tv_set(a, root, "doc", tv_map(a));
	tv_set_str(a, m, "title", "T<");
	u = tv_set(a, m, "author", tv_map(a));
	tv_set_str(a, u, "name", "A&B");
	u = tv_set(a, root, "author", tv_map(a));
	tv_set_str(a, u, "name", "R");
	tv_set_str(a, u, "mail", "r@x");

	l = tv_set(a, root, "grid", tv_list(a));
	g = tv_push(a, l, tv_list(a));
	tv_push(a, g, tv_int(a, 1));
	tv_push(a, g, tv_int(a, 2));
	g = tv_push(a, l, tv_list(a));
	tv_push(a, g, tv_int(a, 3));
	return root;
}

/* Compile src as template "t", render it with ctx and return the output
 * (malloc'd), or NULL with the error in err. */
static char *render1(const char *src, const struct tpl_val *ctx, char *err,
		     size_t errlen)
{
	const char *names[] = {"t"}, *srcs[] = {src};
	struct tpl_set *set = tpl_set_compile(names, srcs, 1, err, errlen);
	struct buf b;
	char *s;

	if (!set)
		return NULL;
	buf_init(&b, 0);
	if (tpl_render(set, "t", ctx, &b)) {
		snprintf(err, errlen, "render failed");
		buf_release(&b);
		tpl_set_free(set);
		return NULL;
	}
	s = buf_detach(&b, NULL);
	tpl_set_free(set);
	return s;
}

static const struct {
	const char *src, *want;
} render_cases[] = {
	/* escaping: each special byte, in text and in attributes */
	{"{{lt}}{{gt}}{{amp}}{{quot}}{{apos}}", "&lt;&gt;&amp;&quot;&#39;"},
	{"<a title=\"{{t}}\">", "<a title=\"&quot; onmouseover=&quot;x\">"},
	{"<a title='{{apos}}{{t}}'>",
	 "<a title='&#39;&quot; onmouseover=&quot;x'>"},
	{"<p>{{html}}</p>", "<p>&lt;b&gt;hi&lt;/b&gt;</p>"},
	{"{{{html}}}", "<b>hi</b>"},
	{"{{{ html }}}{{{t}}}", "<b>hi</b>\" onmouseover=\"x"},
	{"{{cjk}}", "\xe4\xb8\xad\xe6\x96\x87"},
	/* scalars */
	{"{{zero}} {{one}} {{neg}} {{min}} {{max}}",
	 "0 1 -42 -9223372036854775808 9223372036854775807"},
	{"{{yes}}/{{no}}", "true/false"},
	/* missing, null, lists and maps print nothing */
	{"[{{missing}}][{{{missing}}}][{{a.b.c}}][{{nil}}]", "[][][][]"},
	{"[{{items}}][{{doc}}][{{name.x}}]", "[][][]"},
	/* text around tags, lone braces, comments */
	{"", ""},
	{"plain { } {x} }} text", "plain { } {x} }} text"},
	{"a{{! any {{ thing\n here }}b", "ab"},
	{"{{ name }}|{{# yes }}y{{/ yes }}|{{^ no }}n{{/no}}|{{!c}}|{{ # yes}}Y{{ / yes }}",
	 "wenku|y|n||Y"},
	{"{{\tname\n}}", "wenku"},
	/* sections */
	{"{{#items}}<{{.}}>{{/items}}", "<a><b><c>"},
	{"{{#users}}{{name}}:{{#tags}}{{.}}@{{name}}/{{doc.title}},{{/tags}};"
	 "{{/users}}",
	 "ann:x@ann/T&lt;,y@ann/T&lt;,;bob:;"},
	{"{{#grid}}[{{#.}}{{.}}{{/.}}]{{/grid}}", "[12][3]"},
	{"{{#doc}}{{title}} by {{author.name}}{{/doc}}", "T&lt; by A&amp;B"},
	{"{{#name}}<{{.}}>{{/name}}{{#yes}}{{.}}{{/yes}}{{#one}}{{.}}{{/one}}",
	 "<wenku>true1"},
	{"{{#items}}{{#users}}{{.}}{{/users}}{{/items}}", ""},
	{"{{#none}}x{{/none}}{{#no}}x{{/no}}{{#zero}}x{{/zero}}"
	 "{{#empty}}x{{/empty}}{{#missing}}x{{/missing}}{{#nil}}x{{/nil}}",
	 ""},
	{"{{#doc}}{{#author}}{{name}}{{/author}}{{/doc}}", "A&amp;B"},
	/* inverted sections */
	{"{{^none}}1{{/none}}{{^no}}2{{/no}}{{^zero}}3{{/zero}}"
	 "{{^empty}}4{{/empty}}{{^missing}}5{{/missing}}{{^nil}}6{{/nil}}",
	 "123456"},
	{"{{^items}}x{{/items}}{{^yes}}x{{/yes}}{{^one}}x{{/one}}"
	 "{{^name}}x{{/name}}{{^doc}}x{{/doc}}",
	 ""},
	{"{{#users}}{{name}}{{^tags}} has no tags{{/tags}};{{/users}}",
	 "ann;bob has no tags;"},
	/* dotted names */
	{"{{doc.author.name}}|{{doc.title}}", "A&amp;B|T&lt;"},
	{"[{{doc.nope.name}}][{{doc.title.x}}]", "[][]"},
	/* the first component is found in the innermost scope that has it,
	 * and lookup does not fall back outwards after that */
	{"{{#doc}}{{author.name}}[{{author.mail}}]{{/doc}}", "A&amp;B[]"},
	{"{{author.name}}[{{author.mail}}]", "R[r@x]"},
	{"{{#users}}{{doc.author.name}}{{/users}}", "A&amp;BA&amp;B"},
	{"{{#doc.author}}{{name}}{{/doc.author}}", "A&amp;B"},
	/* "." */
	{"{{#items}}{{.}}{{{.}}}{{/items}}", "aabbcc"},
	{"[{{.}}]{{#.}}x{{/.}}", "[]x"},	/* only ".": no name segments */
};

TEST(tpl_render_table)
{
	struct arena *a = arena_new(0);
	struct tpl_val *ctx = fixture(a);
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(render_cases) / sizeof(render_cases[0]); i++) {
		char *got;
		err[0] = '\0';
		got = render1(render_cases[i].src, ctx, err, sizeof(err));
		if (!got)
			fprintf(stderr, "  case %zu: %s\n", i, err);
		else if (strcmp(got, render_cases[i].want))
			fprintf(stderr, "  case %zu: %s\n", i,
				render_cases[i].src);
		CHECK_STR(got, render_cases[i].want);
		free(got);
	}
	arena_free(a);
}

TEST(tpl_null_context_renders_empty)
{
	char err[128];
	char *got = render1("[{{a}}{{#a}}x{{/a}}{{^a}}y{{/a}}{{.}}]", NULL,
			    err, sizeof(err));
	CHECK_STR(got, "[y]");
	free(got);
}

TEST(tpl_escape_direct)
{
	struct buf b;

	buf_init(&b, 0);
	tpl_escape(&b, "a<b>&\"'z", 8);
	tpl_escape(&b, "", 0);
	tpl_escape(&b, "<<", 2);
	CHECK_STR(buf_str(&b), "a&lt;b&gt;&amp;&quot;&#39;z&lt;&lt;");
	buf_release(&b);
}

static const struct {
	const char *src, *want;
} error_cases[] = {
	{"a\n{{#x}}\nb", "templates/t.html:2: unclosed section 'x'"},
	{"{{#a}}{{#b}}\n{{/b}}", "templates/t.html:1: unclosed section 'a'"},
	{"{{#a}}\n\n{{/b}}", "templates/t.html:3: '{{/b}}' does not close 'a'"
			     " opened on line 1"},
	{"x\n{{/a}}", "templates/t.html:2: '{{/a}}' closes no section"},
	{"x\ny {{name", "templates/t.html:2: unterminated tag '{{'"},
	{"x\n{{{name}}\n", "templates/t.html:2: unterminated tag '{{'"},
	{"{{", "templates/t.html:1: unterminated tag '{{'"},
	{"{{}}", "templates/t.html:1: empty name"},
	{"\n{{ }}", "templates/t.html:2: empty name"},
	{"\n\n{{{ }}}", "templates/t.html:3: empty name"},
	{"{{#}}{{/}}", "templates/t.html:1: empty name"},
	{"{{#a}}\n{{/ }}", "templates/t.html:2: empty name"},
	{"{{>}}", "templates/t.html:1: empty name"},
	{"{{a b}}", "templates/t.html:1: bad name 'a b'"},
	{"{{a..b}}", "templates/t.html:1: bad name"},
	{"{{.a}}", "templates/t.html:1: bad name"},
	{"{{a.}}", "templates/t.html:1: bad name"},
	{"{{=<% %>=}}", "templates/t.html:1: bad name"},
	{"{{> a b}}", "templates/t.html:1: bad partial name"},
	{"\n\n{{> nope }}", "templates/t.html:3: unknown partial 'nope'"},
};

TEST(tpl_compile_errors_table)
{
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const char *names[] = {"t"}, *srcs[] = {error_cases[i].src};
		struct tpl_set *set;
		strcpy(err, "(none)");
		set = tpl_set_compile(names, srcs, 1, err, sizeof(err));
		if (set)
			fprintf(stderr, "  case %zu compiled: %s\n", i,
				error_cases[i].src);
		CHECK(set == NULL);
		CHECK_CONTAINS(err, error_cases[i].want);
		tpl_set_free(set);
	}
}

/* "{{#s}}" n times, a body, then the closing tags. */
static char *nested(int n)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < n; i++)
		buf_adds(&b, "{{#s}}");
	buf_adds(&b, "{{x}}");
	for (i = 0; i < n; i++)
		buf_adds(&b, "{{/s}}");
	return buf_detach(&b, NULL);
}

TEST(tpl_nesting_cap_is_64)
{
	struct arena *a = arena_new(0);
	struct tpl_val *ctx = tv_map(a);
	char err[256], *src, *got;

	tv_set_bool(a, ctx, "s", true);
	tv_set_str(a, ctx, "x", "deep");
	src = nested(64);
	got = render1(src, ctx, err, sizeof(err));
	CHECK_STR(got, "deep");
	free(got);
	free(src);

	src = nested(65);
	err[0] = '\0';
	got = render1(src, ctx, err, sizeof(err));
	CHECK(got == NULL);
	CHECK_CONTAINS(err, "templates/t.html:1: sections nested deeper");
	free(src);
	arena_free(a);
}

TEST(tpl_size_cap_is_1mib)
{
	size_t max = (size_t)1 << 20;
	char *src = malloc(max + 2), err[256], *got;

	memset(src, 'x', max + 1);
	src[max] = '\0';
	got = render1(src, NULL, err, sizeof(err));
	CHECK(got && strlen(got) == max);
	free(got);

	src[max] = 'x';
	src[max + 1] = '\0';
	err[0] = '\0';
	got = render1(src, NULL, err, sizeof(err));
	CHECK(got == NULL);
	CHECK_CONTAINS(err, "templates/t.html:1: template larger than");
	free(src);
}

TEST(tpl_duplicate_and_missing_names)
{
	const char *names[] = {"a", "a"}, *srcs[] = {"x", "y"};
	char err[256] = "";

	CHECK(tpl_set_compile(names, srcs, 2, err, sizeof(err)) == NULL);
	CHECK_CONTAINS(err, "templates/a.html:1: duplicate template name");
	CHECK(tpl_set_compile(NULL, NULL, 1, err, sizeof(err)) == NULL);
	/* a NULL or zero-length err buffer is allowed */
	CHECK(tpl_set_compile(names, srcs, 2, NULL, 0) == NULL);
}

TEST(tpl_partials)
{
	const char *names[] = {"page", "header", "item", "tree"};
	const char *srcs[] = {
		"{{> header}}<ul>{{#items}}{{>item}}{{/items}}</ul>",
		"<h1>{{name}}</h1>",
		"<li>{{.}}</li>",
		"{{#kids}}({{name}}{{> tree }}){{/kids}}",
	};
	struct arena *a = arena_new(0);
	struct tpl_val *ctx = fixture(a), *k, *k1, *l1;
	char err[256] = "";
	struct tpl_set *set = tpl_set_compile(names, srcs, 4, err, sizeof(err));
	struct buf b;

	CHECK(set != NULL);
	buf_init(&b, 0);
	CHECK(tpl_render(set, "page", ctx, &b) == 0);
	CHECK_STR(buf_str(&b),
		  "<h1>wenku</h1><ul><li>a</li><li>b</li><li>c</li></ul>");

	/* a partial that includes itself, ended by the data: a thread */
	k = tv_set(a, ctx, "kids", tv_list(a));
	k1 = tv_push(a, k, tv_map(a));
	tv_set_str(a, k1, "name", "1");
	l1 = tv_set(a, k1, "kids", tv_list(a));
	k1 = tv_push(a, l1, tv_map(a));
	tv_set_str(a, k1, "name", "1.1");
	tv_set(a, k1, "kids", tv_list(a));
	k1 = tv_push(a, k, tv_map(a));
	tv_set_str(a, k1, "name", "2");
	tv_set(a, k1, "kids", tv_list(a));
	buf_reset(&b);
	CHECK(tpl_render(set, "tree", ctx, &b) == 0);
	CHECK_STR(buf_str(&b), "(1(1.1))(2)");

	buf_reset(&b);
	CHECK(tpl_render(set, "nope", ctx, &b) == WK_ENOTFOUND);
	CHECK(tpl_render(NULL, "page", ctx, &b) == WK_ENOTFOUND);
	buf_release(&b);
	tpl_set_free(set);
	arena_free(a);
}

TEST(tpl_recursive_partial_fails_cleanly)
{
	const char *names[] = {"loop", "a", "b", "list"};
	const char *srcs[] = {"x{{>loop}}", "a{{>b}}", "b{{> a}}",
			      "{{#items}}{{.}}{{>list}}{{/items}}"};
	struct arena *a = arena_new(0);
	struct tpl_val *ctx = fixture(a);
	char err[256] = "";
	struct tpl_set *set = tpl_set_compile(names, srcs, 4, err, sizeof(err));
	struct buf b;
	size_t i;

	CHECK(set != NULL);
	buf_init(&b, 0);
	for (i = 0; i < 4; i++) {
		buf_reset(&b);
		buf_adds(&b, "pre");
		CHECK(tpl_render(set, names[i], ctx, &b) == WK_EINVAL);
		/* the failed page is cut away, what was there stays */
		CHECK_STR(buf_str(&b), "pre");
		CHECK(buf_error(&b) == 0);
	}
	buf_release(&b);
	tpl_set_free(set);
	arena_free(a);
}

/* p0 includes p1 ... includes p(n-1), which prints "end". */
static int chain(int n)
{
	const char *names[20], *srcs[20];
	char nb[20][16], sb[20][24];
	struct tpl_set *set;
	struct buf b;
	char err[256];
	int i, rc;

	for (i = 0; i < n; i++) {
		snprintf(nb[i], sizeof(nb[i]), "p%d", i);
		snprintf(sb[i], sizeof(sb[i]), "{{>p%d}}", i + 1);
		names[i] = nb[i];
		srcs[i] = sb[i];
	}
	srcs[n - 1] = "end";
	set = tpl_set_compile(names, srcs, (size_t)n, err, sizeof(err));
	if (!set)
		return 99;
	buf_init(&b, 0);
	rc = tpl_render(set, "p0", NULL, &b);
	if (rc == 0 && strcmp(buf_str(&b), "end"))
		rc = 98;
	buf_release(&b);
	tpl_set_free(set);
	return rc;
}

TEST(tpl_partial_depth_cap_is_16)
{
	CHECK(chain(17) == 0);
	CHECK(chain(18) == WK_EINVAL);
}

TEST(tpl_buffer_cap_error_propagates)
{
	const char *names[] = {"t", "p"};
	const char *srcs[] = {"{{#items}}0123456789{{>p}}{{/items}}",
			      "{{#items}}{{name}}{{/items}}"};
	struct arena *a = arena_new(0);
	struct tpl_val *ctx = fixture(a);
	char err[256] = "";
	struct tpl_set *set = tpl_set_compile(names, srcs, 2, err, sizeof(err));
	struct buf b;
	size_t cap;

	CHECK(set != NULL);
	/* full output is 3 * (10 + 3 * 5) = 75 bytes; fail at every size */
	for (cap = 1; cap < 75; cap += 7) {
		buf_init(&b, cap);
		CHECK(tpl_render(set, "t", ctx, &b) == WK_ETOOBIG);
		CHECK(buf_error(&b) == WK_ETOOBIG);
		CHECK(b.len == 0);
		buf_release(&b);
	}
	buf_init(&b, 75);
	CHECK(tpl_render(set, "t", ctx, &b) == 0);
	CHECK(b.len == 75);
	buf_release(&b);
	/* a buffer already in error stays in error */
	buf_init(&b, 2);
	buf_adds(&b, "abc");
	CHECK(tpl_render(set, "p", ctx, &b) == WK_ETOOBIG);
	buf_release(&b);
	tpl_set_free(set);
	arena_free(a);
}

TEST(tpl_values)
{
	struct arena *a = arena_new(0);
	struct tpl_val *m = tv_map(a), *l = tv_list(a), *v;
	char src[] = "copy";
	char err[128];
	char *got;

	CHECK(tv_type(m) == TV_MAP);
	CHECK(tv_type(l) == TV_LIST);
	CHECK(tv_type(NULL) == TV_NULL);
	v = tv_set_str(a, m, "k", src);
	src[0] = 'X';
	CHECK(tv_type(v) == TV_STR);
	CHECK(tv_get(m, "k") == v);
	CHECK(tv_get(m, "nope") == NULL);
	CHECK(tv_get(l, "k") == NULL);
	CHECK(tv_get(NULL, "k") == NULL);
	CHECK(tv_set_int(a, m, "k", 7) != NULL);	/* replaces */
	CHECK(tv_type(tv_get(m, "k")) == TV_INT);
	tv_set(a, m, "n", tv_strn(a, "abcdef", 3));
	CHECK(tv_type(tv_str(a, NULL)) == TV_NULL);

	CHECK(tv_len(l) == 0);
	CHECK(tv_push(a, l, tv_int(a, 1)) != NULL);
	CHECK(tv_push(a, l, tv_bool(a, false)) != NULL);
	CHECK(tv_len(l) == 2);
	CHECK(tv_len(m) == 0);
	CHECK(tv_len(NULL) == 0);

	/* NULL anywhere stores nothing */
	CHECK(tv_set(a, m, "x", NULL) == NULL);
	CHECK(tv_set(a, NULL, "x", tv_int(a, 1)) == NULL);
	CHECK(tv_set(a, l, "x", tv_int(a, 1)) == NULL);
	CHECK(tv_push(a, m, tv_int(a, 1)) == NULL);
	CHECK(tv_push(a, NULL, tv_int(a, 1)) == NULL);
	CHECK(tv_push(a, l, NULL) == NULL);
	CHECK(tv_len(l) == 2);
	CHECK(tv_get(m, "x") == NULL);

	tv_set(a, m, "l", l);
	got = render1("{{k}}{{n}}{{#l}}[{{.}}]{{/l}}", m, err, sizeof(err));
	CHECK_STR(got, "7abc[1][false]");
	free(got);
	arena_free(a);
}

TEST(tpl_values_out_of_arena_render_as_missing)
{
	struct arena *a = arena_new(256);
	struct tpl_val *m = tv_map(a);
	char big[512], err[128], *got;
	int i;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(tv_set_str(a, m, "big", big) == NULL);
	for (i = 0; i < 64; i++)
		tv_set_int(a, m, "n", i);
	got = render1("[{{big}}]", m, err, sizeof(err));
	CHECK_STR(got, "[]");
	free(got);
	arena_free(a);
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

/* Theme files override and extend the built-in templates. */
TEST(tpl_set_load_reads_theme_folder)
{
	char dir[] = "/tmp/wk-tpl-XXXXXX", path[256], err[256] = "";
	struct tpl_set *set;
	struct buf b;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/templates", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/templates/page.html", dir);
	write_file(path, "<main>{{> part }}</main>");
	snprintf(path, sizeof(path), "%s/templates/part.html", dir);
	write_file(path, "{{name}}");
	snprintf(path, sizeof(path), "%s/templates/notes.txt", dir);
	write_file(path, "{{ not a template");

	asset_set_theme(dir);
	set = tpl_set_load(err, sizeof(err));
	CHECK(set != NULL);
	buf_init(&b, 0);
	{
		struct arena *a = arena_new(0);
		struct tpl_val *ctx = tv_map(a);
		tv_set_str(a, ctx, "name", "<me>");
		CHECK(tpl_render(set, "page", ctx, &b) == 0);
		CHECK_STR(buf_str(&b), "<main>&lt;me&gt;</main>");
		arena_free(a);
	}
	buf_release(&b);
	tpl_set_free(set);

	snprintf(path, sizeof(path), "%s/templates/bad.html", dir);
	write_file(path, "ok\n{{#a}}");
	set = tpl_set_load(err, sizeof(err));
	CHECK(set == NULL);
	CHECK_CONTAINS(err, "templates/bad.html:2: unclosed section 'a'");
	unlink(path);

	snprintf(path, sizeof(path), "%s/templates/part.html", dir);
	unlink(path);
	set = tpl_set_load(err, sizeof(err));
	CHECK(set == NULL);
	CHECK_CONTAINS(err, "templates/page.html:1: unknown partial 'part'");

	asset_set_theme(NULL);
	snprintf(path, sizeof(path), "%s/templates/page.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/templates/notes.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/templates", dir);
	rmdir(path);
	rmdir(dir);
}
