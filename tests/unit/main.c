/*
 * main.c - runs every registered unit test; with arguments, only tests
 * whose names contain one of them. Ends with "N passed, N failed".
 */
#include "../harness.h"

#include <stdlib.h>

struct test {
	const char *name;
	void (*fn)(void);
};

static struct test tests[1024];
static int ntests, cur_failed;

void test_register(const char *name, void (*fn)(void))
{
	if (ntests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void test_fail(const char *file, int line, const char *expr)
{
	fprintf(stderr, "  %s:%d: check failed: %s\n", file, line, expr);
	cur_failed = 1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct test *)a)->name,
		      ((const struct test *)b)->name);
}

int main(int argc, char **argv)
{
	int i, j, passed = 0, failed = 0;

	qsort(tests, (size_t)ntests, sizeof(tests[0]), cmp);
	for (i = 0; i < ntests; i++) {
		int want = argc < 2;
		for (j = 1; j < argc; j++)
			if (strstr(tests[i].name, argv[j]))
				want = 1;
		if (!want)
			continue;
		cur_failed = 0;
		tests[i].fn();
		if (cur_failed) {
			failed++;
			printf("FAIL %s\n", tests[i].name);
		} else {
			passed++;
			printf("ok   %s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
