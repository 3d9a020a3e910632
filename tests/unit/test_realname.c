/* test_realname.c - resident ID numbers (check, mask, keyed hash) and
 * personal names. */
#include "../harness.h"
#include "../../src/base/err.h"
#include "../../src/domain/realname.h"

#include <stdio.h>
#include <time.h>

/* Complete 17 digits with their check character, computed here
 * independently of the module. */
static void make_id(const char *first17, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
				   5, 8, 4, 2 };
	int i, sum = 0;
	memcpy(out, first17, 17);
	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static int check(const char *id)
{
	char err[128];
	return realname_check_id(id, err, sizeof(err));
}

TEST(realname_valid_ids)
{
	static const char *const first17[] = {
		"44030819990101001",	/* Shenzhen, 1999-01-01 */
		"31010419800229563",	/* Shanghai, leap day 1980 */
		"11010120000229001",	/* 2000 is a leap year (÷400) */
		"65010219000101123",	/* 1900-01-01, the first day */
		"91000019851231000",	/* permanent residence card */
		"81000019700615002",	/* Hong Kong */
	};
	char id[19];
	size_t i;

	CHECK(check("11010519491231002X") == 0);
	CHECK(check("11010519491231002x") == 0);	/* lowercase x */
	for (i = 0; i < sizeof(first17) / sizeof(first17[0]); i++) {
		make_id(first17[i], id);
		if (check(id)) {
			fprintf(stderr, "    refused %s\n", id);
			CHECK(!"valid id refused");
		}
	}
	CHECK_STR((make_id("44030819990101001", id), id), "440308199901010012");
}

TEST(realname_invalid_ids)
{
	char id[19], err[128];
	char first17[18];
	time_t now = time(NULL);
	struct tm tm;

	CHECK(realname_check_id("110105194912310021", err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK_CONTAINS(err, "check character");
	CHECK(realname_check_id("11010519491231002", err, sizeof(err)) ==
	      WK_EINVAL);				/* 17 */
	CHECK_CONTAINS(err, "18 characters");
	CHECK(check("11010519491231002X1") == WK_EINVAL);	/* 19 */
	CHECK(check("") == WK_EINVAL);
	CHECK(check("1101051949123100XX") == WK_EINVAL);
	CHECK(check("11010519491231002Y") == WK_EINVAL);
	CHECK(check("11010519491231 02X") == WK_EINVAL);
	CHECK(check("１１０１０５１９４９１２３１００２Ｘ") == WK_EINVAL);

	/* Right check character, impossible or out-of-range dates. */
	make_id("11010519900230001", id);		/* Feb 30 */
	CHECK(realname_check_id(id, err, sizeof(err)) == WK_EINVAL);
	CHECK_CONTAINS(err, "birth date");
	make_id("11010520230229001", id);		/* 2023 not leap */
	CHECK(check(id) == WK_EINVAL);
	make_id("11010519000229001", id);		/* 1900 not leap */
	CHECK(check(id) == WK_EINVAL);
	make_id("11010518991231002", id);		/* before 1900 */
	CHECK(check(id) == WK_EINVAL);
	make_id("11010519901301002", id);		/* month 13 */
	CHECK(check(id) == WK_EINVAL);
	make_id("11010519901200002", id);		/* day 0 */
	CHECK(check(id) == WK_EINVAL);
	make_id("11010519900431002", id);		/* April 31 */
	CHECK(check(id) == WK_EINVAL);
	/* January 1st the year after next is in the future in every time
	 * zone (next year's may be today in China on 31 December). */
	gmtime_r(&now, &tm);
	snprintf(first17, sizeof(first17), "110105%04d0101002",
		 tm.tm_year + 1900 + 2);
	make_id(first17, id);
	CHECK(check(id) == WK_EINVAL);
	/* ... and two days ago is in the past in every one. */
	now -= 2 * 86400;
	gmtime_r(&now, &tm);
	snprintf(first17, sizeof(first17), "110105%04d%02d%02d002",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	make_id(first17, id);
	CHECK(check(id) == 0);

	/* Right check character, unknown regions. */
	make_id("99010519491231002", id);
	CHECK(realname_check_id(id, err, sizeof(err)) == WK_EINVAL);
	CHECK_CONTAINS(err, "region");
	make_id("16010519491231002", id);
	CHECK(check(id) == WK_EINVAL);
	make_id("10010519491231002", id);
	CHECK(check(id) == WK_EINVAL);
	make_id("00010519491231002", id);
	CHECK(check(id) == WK_EINVAL);
	make_id("84010519491231002", id);
	CHECK(check(id) == WK_EINVAL);
	CHECK(realname_check_id("99", NULL, 0) == WK_EINVAL);
}

TEST(realname_mask)
{
	char out[19];

	realname_mask("11010519491231002X", out);
	CHECK_STR(out, "110***********002X");
	realname_mask("11010519491231002x", out);
	CHECK_STR(out, "110***********002X");
	realname_mask("440308199901010012", out);
	CHECK_STR(out, "440***********0012");
	realname_mask("12345", out);
	CHECK_STR(out, "******************");
	realname_mask("", out);
	CHECK_STR(out, "******************");
}

TEST(realname_id_hash_is_keyed_and_stable)
{
	unsigned char key[32], key2[32];
	char a[65], b[65], c[65];
	int i;

	for (i = 0; i < 32; i++) {
		key[i] = (unsigned char)i;
		key2[i] = (unsigned char)(i + 1);
	}
	CHECK(realname_id_hash("11010519491231002X", key, a) == 0);
	/* HMAC-SHA256(key 00..1f, "11010519491231002X"), from Python's hmac */
	CHECK_STR(a, "a66755453b106dcea0cfa264214ae59f"
		     "f1e8b067f3e5f3aa8085e1d8757880eb");
	CHECK(realname_id_hash("11010519491231002x", key, b) == 0);
	CHECK_STR(b, a);
	CHECK(realname_id_hash("11010519491231002X", key2, c) == 0);
	CHECK(strlen(c) == 64 && strcmp(c, a) != 0);
	CHECK(realname_id_hash("440308199901010012", key, c) == 0);
	CHECK(strcmp(c, a) != 0);
	CHECK(realname_id_hash("1101051949", key, c) == WK_EINVAL);
}

TEST(realname_name_table)
{
	static const struct {
		const char *name;
		int ok;
	} cases[] = {
		{ "张三", 1 },
		{ "欧阳娜娜", 1 },
		{ "买买提·艾力", 1 },
		{ "阿卜杜热西提·扎克尔", 1 },
		{ "John Smith", 1 },
		{ "Mary Jane Watson", 1 },
		{ "Jos\xc3\xa9 Garc\xc3\xad" "a", 1 },		/* composed */
		{ "Jose\xcc\x81 Garci\xcc\x81" "a", 1 },	/* decomposed */
		{ "Ли Сяолун", 1 },
		{ "김민준", 1 },
		{ "बिन्दु", 1 },			/* Devanagari marks */
		{ "𠇔亮", 1 },			/* CJK extension B */
		{ "张", 0 },			/* too short */
		{ "abcdefghijklmnopqrstuvwxyzabcd", 1 },	/* 30 */
		{ "abcdefghijklmnopqrstuvwxyzabcde", 0 },	/* 31 */
		{ "张3", 0 },
		{ "张三1", 0 },
		{ "张\t三", 0 },
		{ "张\n三", 0 },
		{ " 张三", 0 },
		{ "张三 ", 0 },
		{ "张  三", 0 },
		{ "·张三", 0 },
		{ "张三·", 0 },
		{ "张··三", 0 },
		{ "张· 三", 0 },
		{ "张.三", 0 },
		{ "O'Brien", 0 },
		{ "张😀", 0 },
		{ "\xcc\x81" "abc", 0 },	/* a mark with no letter */
		{ "\xff\xfe\xfd", 0 },
		{ "张\xe4\xb8", 0 },		/* truncated */
		{ "", 0 },
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = realname_check_name(cases[i].name, err, sizeof(err));
		if ((rc == 0) != cases[i].ok) {
			fprintf(stderr, "    case %zu \"%s\": rc %d (%s)\n", i,
				cases[i].name, rc, rc ? err : "");
			CHECK(!"name table");
		}
		CHECK(rc == 0 || rc == WK_EINVAL);
	}
}
