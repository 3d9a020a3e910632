/* test_base.c - buffers, arenas and UTF-8 helpers. */
#include "../harness.h"
#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/err.h"
#include "../../src/base/utf8.h"

#include <stdlib.h>

TEST(buf_appends_and_formats)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "ab");
	buf_addc(&b, 'c');
	buf_addf(&b, "-%d-", 42);
	CHECK_STR(buf_str(&b), "abc-42-");
	CHECK(b.len == 7);
	buf_release(&b);
}

TEST(buf_cap_is_sticky)
{
	struct buf b;
	buf_init(&b, 4);
	buf_adds(&b, "abc");
	buf_adds(&b, "de");
	CHECK(buf_error(&b) == WK_ETOOBIG);
	buf_adds(&b, "x");
	CHECK_STR(buf_str(&b), "abc");
	CHECK(buf_detach(&b, NULL) == NULL);
	buf_release(&b);
}

static int cleaned;
static void on_free(void *p) { cleaned += *(int *)p; }

TEST(arena_cleanups_run_and_cap_holds)
{
	static int v = 5;
	struct arena *a = arena_new(1024);
	char *s = arena_sprintf(a, "%s-%d", "x", 7);
	CHECK_STR(s, "x-7");
	CHECK(arena_alloc(a, 4096) == NULL);
	arena_on_free(a, on_free, &v);
	cleaned = 0;
	arena_free(a);
	CHECK(cleaned == 5);
}

TEST(utf8_rejects_overlong_and_surrogates)
{
	CHECK(utf8_valid("\xe4\xb8\xad", 3));
	CHECK(!utf8_valid("\xc0\xaf", 2));
	CHECK(!utf8_valid("\xed\xa0\x80", 3));
	CHECK(!utf8_valid("\xe4\xb8", 2));
	CHECK(utf8_count("a\xe4\xb8\xad" "b", 5) == 3);
	CHECK(utf8_floor("a\xe4\xb8\xad", 4, 2) == 1);
	CHECK(utf8_offset("a\xe4\xb8\xad" "b", 5, 2) == 4);
}
