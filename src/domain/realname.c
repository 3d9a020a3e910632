/*
 * realname.c - checking, masking and keyed hashing of resident ID
 * numbers, and checking personal names.
 */
#include "realname.h"

#include "../base/err.h"
#include "../base/utf8.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#define CHINA_UTC_OFFSET (8 * 3600)

static int fail(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return WK_EINVAL;
}

/* Province-level region codes: the first two digits. 71 Taiwan, 81 Hong
 * Kong, 82 Macao, 83 the residence permits for Taiwan residents, 91 the
 * permanent residence cards of foreigners. */
static bool known_region(int r)
{
	return (r >= 11 && r <= 15) || (r >= 21 && r <= 23) ||
	       (r >= 31 && r <= 37) || (r >= 41 && r <= 46) ||
	       (r >= 50 && r <= 54) || (r >= 61 && r <= 65) || r == 71 ||
	       r == 81 || r == 82 || r == 83 || r == 91;
}

static int num(const char *s, int n)
{
	int v = 0;
	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* Whether YYYYMMDD at s is a calendar date from 1900-01-01 to today, as
 * the date is in China (a birth date on the card is a Chinese date,
 * whatever the server's time zone). */
static bool valid_birth(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	int y = num(s, 4), m = num(s + 4, 2), d = num(s + 6, 2), max;
	time_t now = time(NULL) + CHINA_UTC_OFFSET;
	struct tm tm;
	long long birth, today;

	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0))
		max = 29;
	if (d > max || !gmtime_r(&now, &tm))
		return false;
	birth = (long long)y * 10000 + m * 100 + d;
	today = (long long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
		tm.tm_mday;
	return birth <= today;
}

/* The check character for the first 17 digits (ISO 7064 MOD 11-2). */
static char check_char(const char *id)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
				   5, 8, 4, 2 };
	int i, sum = 0;
	for (i = 0; i < 17; i++)
		sum += (id[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

int realname_check_id(const char *id, char *err, size_t errlen)
{
	char last;
	int i;

	if (strlen(id) != REALNAME_ID_LEN)
		return fail(err, errlen, "ID number must be 18 characters");
	for (i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			break;
	last = id[17] == 'x' ? 'X' : id[17];
	if (i < 17 || !((last >= '0' && last <= '9') || last == 'X'))
		return fail(err, errlen,
			    "ID number must be 17 digits and a digit or X");
	if (!known_region(num(id, 2)))
		return fail(err, errlen, "ID number has an unknown region");
	if (!valid_birth(id + 6))
		return fail(err, errlen, "ID number has an impossible birth "
					 "date");
	if (check_char(id) != last)
		return fail(err, errlen, "ID number check character does not "
					 "match");
	return 0;
}

void realname_mask(const char *id, char out[REALNAME_ID_LEN + 1])
{
	size_t i;

	memset(out, '*', REALNAME_ID_LEN);
	out[REALNAME_ID_LEN] = '\0';
	if (strlen(id) != REALNAME_ID_LEN)
		return;
	memcpy(out, id, 3);
	memcpy(out + 14, id + 14, 4);
	for (i = 14; i < REALNAME_ID_LEN; i++)
		if (out[i] == 'x')
			out[i] = 'X';
}

int realname_id_hash(const char *id, const unsigned char key[REALNAME_KEY_LEN],
		     char hex[65])
{
	unsigned char up[REALNAME_ID_LEN], mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t i;

	if (strlen(id) != REALNAME_ID_LEN)
		return WK_EINVAL;
	for (i = 0; i < REALNAME_ID_LEN; i++)
		up[i] = (unsigned char)(id[i] >= 'a' && id[i] <= 'z' ?
					id[i] - 'a' + 'A' : id[i]);
	crypto_auth_hmacsha256_init(&st, key, REALNAME_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, up, sizeof(up));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 65, mac, sizeof(mac));
	sodium_memzero(up, sizeof(up));
	sodium_memzero(&st, sizeof(st));
	return 0;
}

static bool is_letter(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return true;
	default:
		return false;
	}
}

static bool is_mark(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
		return true;
	default:
		return false;
	}
}

int realname_check_name(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name), i = 0, chars;
	bool prev_sep = true;	/* so a leading separator is refused */
	bool prev_letter = false;

	if (!utf8_valid(name, len))
		return fail(err, errlen, "name is not valid UTF-8");
	chars = utf8_count(name, len);
	if (chars < REALNAME_NAME_MIN || chars > REALNAME_NAME_MAX)
		return fail(err, errlen, "name must be 2 to 30 characters");
	while (i < len) {
		uint32_t cp;
		size_t l = utf8_decode(name + i, len - i, &cp);
		bool sep = cp == ' ' || cp == 0xB7;

		i += l;
		if (sep) {
			if (prev_sep)
				return fail(err, errlen, "name must not start "
					    "with a separator or have two in a "
					    "row");
			prev_sep = true;
			prev_letter = false;
		} else if (is_letter((utf8proc_int32_t)cp) ||
			   (prev_letter && is_mark((utf8proc_int32_t)cp))) {
			prev_sep = false;
			prev_letter = true;
		} else {
			return fail(err, errlen, "name may have only letters, "
				    "'\xc2\xb7' and spaces");
		}
	}
	if (prev_sep)
		return fail(err, errlen, "name must not end with a separator");
	return 0;
}
