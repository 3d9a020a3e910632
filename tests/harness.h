/*
 * harness.h - the unit-test framework: tests register themselves, the
 * runner (tests/unit/main.c) runs them all and ends with
 * "N passed, N failed".
 *
 *   TEST(buf_grows) { ... CHECK(x == 1); CHECK_STR(a, "b"); }
 *
 * A failed CHECK marks the test failed and the test goes on, so one run
 * reports every broken assertion.
 */
#ifndef WK_HARNESS_H
#define WK_HARNESS_H

#include <stdio.h>
#include <string.h>

void test_register(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *expr);

#define TEST(name)                                                      \
	static void test_##name(void);                                  \
	__attribute__((constructor)) static void reg_##name(void)       \
	{                                                               \
		test_register(#name, test_##name);                      \
	}                                                               \
	static void test_##name(void)

#define CHECK(c)                                                        \
	do {                                                            \
		if (!(c))                                               \
			test_fail(__FILE__, __LINE__, #c);              \
	} while (0)

#define CHECK_STR(a, b)                                                 \
	do {                                                            \
		const char *a_ = (a), *b_ = (b);                        \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                \
			fprintf(stderr, "    got:      \"%s\"\n"            \
				"    expected: \"%s\"\n",                   \
				a_ ? a_ : "(null)", b_ ? b_ : "(null)");    \
			test_fail(__FILE__, __LINE__, #a " == " #b);    \
		}                                                       \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                     \
	do {                                                            \
		const char *h_ = (hay), *n_ = (needle);                 \
		if (!h_ || !strstr(h_, n_)) {                           \
			fprintf(stderr, "    missing: \"%s\"\n", n_);      \
			test_fail(__FILE__, __LINE__,                   \
				  #hay " contains " #needle);           \
		}                                                       \
	} while (0)

#endif
