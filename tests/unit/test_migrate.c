/* test_migrate.c - dialect sections in migrations (store.c,
 * docs/store.md): SQLite keeps sqlite-only text, drops postgres-only
 * text, and refuses unbalanced markers. */
#include "../harness.h"
#include "../../src/store/store_internal.h"

#include <stdlib.h>

static char *dialect(const char *src, char *err, size_t errlen)
{
	err[0] = '\0';
	return sqlite_dialect((const unsigned char *)src, strlen(src), err,
			      errlen);
}

TEST(migrate_dialect_sections)
{
	static const struct {
		const char *src;
		const char *want;	/* NULL: refused */
	} cases[] = {
		{ "CREATE TABLE t (id ID_PK);\n",
		  "CREATE TABLE t (id INTEGER PRIMARY KEY);\n" },
		{ "a;\n-- sqlite-only begin\nb;\n-- sqlite-only end\nc;\n",
		  "a;\nb;\nc;\n" },
		{ "a;\n-- postgres-only begin\nb ID_PK;\n"
		  "-- postgres-only end\nc;",
		  "a;\nc;" },
		{ "a;\r\n-- postgres-only begin\r\nb;\r\n"
		  "-- postgres-only end\r\nc;\r\n",
		  "a;\r\nc;\r\n" },
		/* Not a marker: text around it on the line. */
		{ "x; -- postgres-only begin\ny;\n",
		  "x; -- postgres-only begin\ny;\n" },
		{ "-- sqlite-only begin\na;\n", NULL },
		{ "-- sqlite-only end\n", NULL },
		{ "-- sqlite-only begin\n-- postgres-only end\n", NULL },
		{ "-- sqlite-only begin\n-- sqlite-only begin\n", NULL },
		{ "-- postgres-only begin\n-- sqlite-only begin\n"
		  "-- sqlite-only end\n-- postgres-only end\n", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[128];
		char *got = dialect(cases[i].src, err, sizeof(err));
		if (cases[i].want) {
			CHECK_STR(got, cases[i].want);
		} else {
			CHECK(got == NULL);
			CHECK(err[0] != '\0');
		}
		free(got);
	}
}
