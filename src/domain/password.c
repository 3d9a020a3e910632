/*
 * password.c - the password policy, the common-password list, argon2id
 * hashing and verification behind a core-sized limiter.
 */
#include "password.h"

#include "../base/asset.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <utf8proc.h>

#define COMMON_LIST "wordlists/common-passwords.txt"
#define ARGON2ID_PREFIX "$argon2id$"

/* ---- normalisation ------------------------------------------------------- */

/* The NFKC form of the n bytes at s in a malloc'd string (free it with
 * wipe_free()). WK_EINVAL for invalid UTF-8, WK_ENOMEM. */
static int nfkc(const char *s, size_t n, char **out, size_t *outlen)
{
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t len;

	if (!utf8_valid(s, n))
		return WK_EINVAL;
	len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
			   &norm, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
				  UTF8PROC_COMPAT);
	if (len < 0)
		return len == UTF8PROC_ERROR_NOMEM ? WK_ENOMEM : WK_EINVAL;
	*out = (char *)norm;
	*outlen = (size_t)len;
	return 0;
}

/* Free a copy of a password, clearing it first. */
static void wipe_free(char *p, size_t n)
{
	if (!p)
		return;
	sodium_memzero(p, n);
	free(p);
}

/* ---- the common-password list ------------------------------------------ */

static pthread_once_t list_once = PTHREAD_ONCE_INIT;
static char *list_text;		/* the file, cut into lines */
static char **list;		/* sorted pointers into list_text */
static size_t list_len;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load the list once: one copy of the file, lowercased and cut into
 * lines in place, with a sorted array of pointers into it. Blank lines
 * and lines starting with '#' are skipped. If the list can't be read the
 * policy goes on without it, loudly. */
static void load_list(void)
{
	const unsigned char *data;
	size_t len, cap = 0, i;
	char *text, *p, *end;
	int owned, rc;

	rc = asset_get(COMMON_LIST, &data, &len, &owned);
	if (rc) {
		log_error("common-password list %s: %s", COMMON_LIST,
			  wk_strerror(rc));
		return;
	}
	text = malloc(len + 1);
	if (!text)
		goto fail;
	memcpy(text, data, len);
	text[len] = '\0';
	for (i = 0; i < len; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			text[i] = (char)(text[i] - 'A' + 'a');
	for (p = text; p < text + len; p = end + 1) {
		size_t l;
		end = memchr(p, '\n', (size_t)(text + len - p));
		if (!end)
			end = text + len;
		*end = '\0';
		l = (size_t)(end - p);
		if (l && p[l - 1] == '\r')
			p[--l] = '\0';
		if (!l || p[0] == '#')
			continue;
		if (list_len == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			char **nl = realloc(list, ncap * sizeof(*nl));
			if (!nl)
				goto fail;
			list = nl;
			cap = ncap;
		}
		list[list_len++] = p;
	}
	qsort(list, list_len, sizeof(*list), cmp_str);
	list_text = text;
	if (owned)
		free((void *)data);
	return;
fail:
	log_error("common-password list %s: out of memory", COMMON_LIST);
	free(list);
	free(text);
	list = NULL;
	list_len = 0;
	if (owned)
		free((void *)data);
}

static bool in_list(const char *lower)
{
	pthread_once(&list_once, load_list);
	return list_len &&
	       bsearch(&lower, list, list_len, sizeof(*list), cmp_str);
}

/* An eight-digit calendar date YYYYMMDD from 1900 to 2099: birthdays
 * are among the most guessed passwords, and listing them all would
 * take 73,000 lines. */
static bool is_date(const char *s, size_t n)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	int y, m, d;
	size_t i;

	if (n != 8)
		return false;
	for (i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	d = (s[6] - '0') * 10 + (s[7] - '0');
	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}

/* ---- the policy ----------------------------------------------------------- */

static int refuse(enum pw_reason reason, enum pw_reason *why, char *err,
		  size_t errlen)
{
	static const char *const msg[] = {
		[PW_OK] = "",
		[PW_TOO_SHORT] = "password must be at least 8 characters",
		[PW_TOO_LONG] = "password must be at most 128 characters",
		[PW_INVALID] = "password is not valid UTF-8",
		[PW_COMMON] = "password is too common",
		[PW_SAME_AS_NAME] = "password must not be the user name",
	};
	if (why)
		*why = reason;
	if (err && errlen)
		snprintf(err, errlen, "%s", msg[reason]);
	return reason == PW_OK ? 0 : WK_EINVAL;
}

/* Whether pw (normalised) is the user name, ignoring ASCII case; the
 * name is compared both as given and in NFKC. */
static bool same_as_name(const char *pw, const char *name)
{
	char *norm;
	size_t n;
	bool same;

	if (!name || !*name)
		return false;
	if (!strcasecmp(pw, name))
		return true;
	if (nfkc(name, strlen(name), &norm, &n))
		return false;
	same = !strcasecmp(pw, norm);
	free(norm);
	return same;
}

int password_check_policy(const char *pw, const char *user_name,
			  enum pw_reason *why, char *err, size_t errlen)
{
	enum pw_reason reason = PW_OK;
	size_t len = strlen(pw), n, chars, i;
	char *norm;
	int rc;

	if (len > PASSWORD_MAX_BYTES)
		return refuse(PW_TOO_LONG, why, err, errlen);
	rc = nfkc(pw, len, &norm, &n);
	if (rc == WK_ENOMEM)
		return rc;
	if (rc)
		return refuse(PW_INVALID, why, err, errlen);
	chars = utf8_count(norm, n);
	if (chars < PASSWORD_MIN_CHARS) {
		reason = PW_TOO_SHORT;
	} else if (chars > PASSWORD_MAX_CHARS) {
		reason = PW_TOO_LONG;
	} else if (same_as_name(norm, user_name)) {
		reason = PW_SAME_AS_NAME;
	} else {
		for (i = 0; i < n; i++)
			if (norm[i] >= 'A' && norm[i] <= 'Z')
				norm[i] = (char)(norm[i] - 'A' + 'a');
		if (in_list(norm) || is_date(norm, n))
			reason = PW_COMMON;
	}
	wipe_free(norm, n);
	return refuse(reason, why, err, errlen);
}

/* ---- the limiter and the dummy hash ---------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static sem_t slots;
static unsigned nslots;
static atomic_uint busy, busy_peak;
static char dummy_hash[PASSWORD_HASH_SIZE];
static bool have_dummy;

static int hash_raw(const char *pw, size_t n, char out[PASSWORD_HASH_SIZE])
{
	return crypto_pwhash_str_alg(out, pw, n, PASSWORD_OPSLIMIT,
				     PASSWORD_MEMLIMIT,
				     crypto_pwhash_ALG_ARGON2ID13);
}

/* Size the limiter to the online cores and make the dummy hash, from a
 * random password that is thrown away, with the current parameters (so
 * verifying against it always costs what a real verify costs). */
static void init(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned char rnd[16];

	if (sodium_init() < 0)
		log_error("sodium_init failed");
	nslots = n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n;
	if (sem_init(&slots, 0, nslots)) {
		log_error("password limiter: sem_init: %s", strerror(errno));
		abort();
	}
	randombytes_buf(rnd, sizeof(rnd));
	have_dummy = hash_raw((const char *)rnd, sizeof(rnd), dummy_hash) == 0;
	if (!have_dummy)
		log_warn("password: could not make the dummy hash");
	sodium_memzero(rnd, sizeof(rnd));
}

static void slot_take(void)
{
	unsigned now, peak;

	pthread_once(&init_once, init);
	while (sem_wait(&slots) && errno == EINTR)
		;
	now = atomic_fetch_add(&busy, 1) + 1;
	peak = atomic_load(&busy_peak);
	while (now > peak &&
	       !atomic_compare_exchange_weak(&busy_peak, &peak, now))
		;
}

static void slot_give(void)
{
	atomic_fetch_sub(&busy, 1);
	sem_post(&slots);
}

void password_limiter_stats(unsigned *nslots_out, unsigned *peak)
{
	pthread_once(&init_once, init);
	*nslots_out = nslots;
	*peak = atomic_load(&busy_peak);
}

/* ---- hashing and verifying ------------------------------------------------ */

int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE])
{
	size_t len = strlen(pw), n;
	char *norm;
	int rc;

	if (len > PASSWORD_MAX_BYTES)
		return WK_ETOOBIG;
	if ((rc = nfkc(pw, len, &norm, &n)))
		return rc;
	slot_take();
	rc = hash_raw(norm, n, out);
	slot_give();
	wipe_free(norm, n);
	if (rc)
		return WK_ENOMEM;	/* argon2 fails only for memory */
	if (strncmp(out, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX))) {
		log_error("password hash does not start with %s",
			  ARGON2ID_PREFIX);
		return WK_EUNSUPPORTED;
	}
	return 0;
}

/* Verify pw against stored, or (stored NULL) spend the same time on the
 * dummy hash. Passwords that could never have been hashed (too long,
 * not UTF-8) are refused before any work, the same way in both cases. */
static int verify(const char *stored, const char *pw, bool dummy)
{
	size_t len, n;
	char *norm;
	char scratch[PASSWORD_HASH_SIZE];
	int rc;

	if (!pw || (!dummy && !stored))
		return WK_EFORBIDDEN;
	len = strlen(pw);
	if (len > PASSWORD_MAX_BYTES || nfkc(pw, len, &norm, &n))
		return WK_EFORBIDDEN;
	slot_take();
	if (!dummy)
		rc = crypto_pwhash_str_verify(stored, norm, n);
	else if (have_dummy)
		rc = crypto_pwhash_str_verify(dummy_hash, norm, n);
	else
		rc = hash_raw(norm, n, scratch);	/* same cost */
	slot_give();
	wipe_free(norm, n);
	return rc == 0 && !dummy ? 0 : WK_EFORBIDDEN;
}

int password_verify(const char *stored, const char *pw)
{
	return verify(stored, pw, false);
}

void password_dummy_verify(const char *pw)
{
	(void)verify(NULL, pw, true);
}

bool password_needs_rehash(const char *stored)
{
	if (!stored || strncmp(stored, ARGON2ID_PREFIX,
			       strlen(ARGON2ID_PREFIX)))
		return true;
	return crypto_pwhash_argon2id_str_needs_rehash(
		       stored, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}
