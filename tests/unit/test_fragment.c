/* test_fragment.c - sanitized HTML fragments: what survives the
 * allow-list, what is dropped or unwrapped, escaping, limits, and that a
 * save stores the sanitized form with its audit entry. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/domain/fragment.h"
#include "../../src/store/store.h"
#include "ledger_util.h"

#include <stdlib.h>
#include <string.h>

static char *clean(const char *in)
{
	struct buf b;
	char *out;

	buf_init(&b, 0);
	if (fragment_sanitize(in, strlen(in), &b)) {
		buf_release(&b);
		return NULL;
	}
	out = strdup(buf_str(&b));
	buf_release(&b);
	return out;
}

#define SAME(in, want)                                                  \
	do {                                                            \
		char *got_ = clean(in);                                 \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

TEST(fragment_sanitize_allow_list)
{
	/* kept */
	SAME("<p>新用户<strong>注册</strong>送<em>积分</em></p>",
	     "<p>新用户<strong>注册</strong>送<em>积分</em></p>");
	SAME("<ul><li>一</li><li>二</li></ul>",
	     "<ul><li>一</li><li>二</li></ul>");
	SAME("<a href=\"/vip\">VIP</a>",
	     "<a href=\"/vip\" rel=\"nofollow noopener\">VIP</a>");
	SAME("<a href=\"https://example.com/?a=1&b=2\">x</a>",
	     "<a href=\"https://example.com/?a=1&amp;b=2\" "
	     "rel=\"nofollow noopener\">x</a>");
	SAME("<img src=\"/static/favicon.svg\" alt=\"logo\">",
	     "<img src=\"/static/favicon.svg\" alt=\"logo\">");
	SAME("a<br>b", "a<br>b");
	/* scripts and their kin: gone with their contents */
	SAME("<p>hi<script>alert(1)</script></p>", "<p>hi</p>");
	SAME("<style>body{}</style>x", "x");
	SAME("<iframe src=\"//evil\">t</iframe>ok", "ok");
	SAME("<svg><script>alert(1)</script></svg>ok", "ok");
	/* (the HTML5 parser keeps no form element here: its text stays,
	 * as text) */
	SAME("<form action=\"/x\"><input name=a>z</form>", "z");
	SAME("<p><form><button>b</button></form></p>", "<p></p><p></p>");
	/* attributes: only the allowed ones, never event handlers */
	SAME("<p onclick=\"x()\" style=\"color:red\" class=\"c\">t</p>",
	     "<p>t</p>");
	SAME("<img src=\"/x.png\" onerror=\"alert(1)\">",
	     "<img src=\"/x.png\" alt=\"\">");
	/* dangerous or foreign URLs */
	SAME("<a href=\"javascript:alert(1)\">x</a>",
	     "<a rel=\"nofollow noopener\">x</a>");
	SAME("<a href=\" javascript:alert(1)\">x</a>",
	     "<a rel=\"nofollow noopener\">x</a>");
	SAME("<a href=\"//evil.example/\">x</a>",
	     "<a rel=\"nofollow noopener\">x</a>");
	SAME("<img src=\"https://tracker.example/p.gif\">t", "t");
	SAME("<img src=\"/\\evil.example/p.gif\">t", "t");
	/* unknown elements are unwrapped, their text kept and escaped */
	SAME("<div><span>a &lt;b&gt; &amp; \"c\"</span></div>",
	     "a &lt;b&gt; &amp; &quot;c&quot;");
	SAME("<!-- note --><p>x</p>", "<p>x</p>");
	/* broken markup is repaired the way a browser would */
	SAME("<p><b>open", "<p><b>open</b></p>");
	SAME("</p></b>x", "<p></p>x");
}

TEST(fragment_sanitize_limits)
{
	struct buf b;
	char *big = malloc(FRAGMENT_MAX_INPUT + 2), *deep, *out;
	size_t i;

	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'x', FRAGMENT_MAX_INPUT + 1);
	big[FRAGMENT_MAX_INPUT + 1] = '\0';
	buf_init(&b, 0);
	CHECK(fragment_sanitize(big, strlen(big), &b) == WK_ETOOBIG);
	buf_release(&b);
	free(big);
	/* 200 nested quotes: the deep ones are unwrapped */
	deep = calloc(1, 200 * 25 + 10);
	for (i = 0; i < 200; i++)
		strcat(deep, "<blockquote>");
	strcat(deep, "x");
	out = clean(deep);
	CHECK(out && strstr(out, "x"));
	CHECK(out && strlen(out) < 200 * 25);
	free(out);
	free(deep);
	CHECK(fragment_slot_ok("doc_notice") && fragment_slot_ok("footer"));
	CHECK(!fragment_slot_ok("header") && !fragment_slot_ok(NULL));
}

TEST(fragment_save_stores_sanitized_and_audits)
{
	char dir[64];
	struct store *s = open_tmp(dir);
	struct arena *a = arena_new(0);
	const char *format, *content;
	sqlite3 *db;
	int64_t admin;

	CHECK(s && a);
	if (!s || !a)
		return;
	admin = add_user(s, "fragadmin");
	CHECK(fragment_save(s, "sidebar", "html",
			    "<p>欢迎<script>x()</script></p>", admin,
			    1700000000) == 0);
	CHECK(store_fragment_read(s, a, "sidebar", &format, &content) == 0);
	CHECK_STR(format, "html");
	CHECK_STR(content, "<p>欢迎</p>");
	CHECK(fragment_save(s, "sidebar", "text", "纯文本 <b>", admin,
			    1700000001) == 0);
	CHECK(store_fragment_read(s, a, "sidebar", &format, &content) == 0);
	CHECK_STR(format, "text");
	CHECK_STR(content, "纯文本 <b>");	/* escaped on output */
	CHECK(fragment_save(s, "nowhere", "text", "x", admin, 1) ==
	      WK_EINVAL);
	CHECK(fragment_save(s, "sidebar", "markdown", "x", admin, 1) ==
	      WK_EINVAL);
	db = raw_open(dir);
	CHECK(db && raw_int(db, "SELECT COUNT(*) FROM audit_log WHERE "
				"action = 'fragment.set'") == 2);
	CHECK(db && raw_int(db, "SELECT COUNT(*) FROM audit_log WHERE "
				"action = 'fragment.set' AND after_state = "
				"'<p>欢迎</p>'") == 1);
	sqlite3_close(db);
	arena_free(a);
	store_close(s);
	rm_tmp(dir);
}
