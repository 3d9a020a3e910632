/* test_password.c - the password policy, argon2id hashes, verification,
 * the dummy verify and the limiter under concurrent hashing. */
#include "../harness.h"
#include "../../src/base/err.h"
#include "../../src/domain/password.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

TEST(password_policy_table)
{
	static const struct {
		const char *pw, *name;
		enum pw_reason want;
	} cases[] = {
		{ "correct horse battery staple", "alice", PW_OK },
		{ "Tr0ub4dor&3x", "alice", PW_OK },
		{ "我的密码很长很安全", "alice", PW_OK },	/* 9 characters */
		{ "天王盖地虎宝塔镇", NULL, PW_OK },		/* exactly 8 */
		{ "短密码", "alice", PW_TOO_SHORT },		/* 9 bytes, 3 chars */
		{ "abc1234", "alice", PW_TOO_SHORT },
		{ "", "alice", PW_TOO_SHORT },
		{ "xY7#kq2!", "alice", PW_OK },			/* exactly 8 */
		{ "\xff\xfe" "abcdefgh", "alice", PW_INVALID },
		{ "abcdefg\xc0\xaf", "alice", PW_INVALID },	/* overlong '/' */
		{ "abcdefg\xed\xa0\x80", "alice", PW_INVALID },	/* surrogate */
		{ "password", "alice", PW_COMMON },
		{ "PassWord", "alice", PW_COMMON },
		{ "12345678", "alice", PW_COMMON },
		{ "qwertyuiop", "alice", PW_COMMON },
		{ "woaini1314", "alice", PW_COMMON },
		{ "WoAiNi1314", "alice", PW_COMMON },
		{ "a12345678", "alice", PW_COMMON },
		{ "5201314520", "alice", PW_COMMON },
		{ "1qaz2wsx", "alice", PW_COMMON },
		{ "zhangwei123", "alice", PW_COMMON },
		{ "１２３４５６７８", "alice", PW_COMMON },	/* full-width */
		{ "19900101", "alice", PW_COMMON },		/* a date */
		{ "20240229", "alice", PW_COMMON },
		{ "20230229", "alice", PW_OK },			/* no such date */
		{ "wangxiaoer88", "wangxiaoer88", PW_SAME_AS_NAME },
		{ "WangXiaoEr88", "wangxiaoer88", PW_SAME_AS_NAME },
		{ "ｗａｎｇｘｉａｏｅｒ８８", "wangxiaoer88", PW_SAME_AS_NAME },
		{ "wangxiaoer88", NULL, PW_OK },
		{ "wangxiaoer88", "", PW_OK },
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pw_reason why = (enum pw_reason)-1;
		int rc = password_check_policy(cases[i].pw, cases[i].name,
					       &why, err, sizeof(err));
		if (why != cases[i].want || (rc == 0) != (why == PW_OK)) {
			fprintf(stderr, "    case %zu \"%s\": reason %d rc %d "
				"(%s)\n", i, cases[i].pw, (int)why, rc, err);
			CHECK(why == cases[i].want);
		}
	}
	CHECK(password_check_policy("password", "x", NULL, err, sizeof(err)) ==
	      WK_EINVAL);
	CHECK_STR(err, "password is too common");
	CHECK(password_check_policy("abc", "x", NULL, NULL, 0) == WK_EINVAL);
}

TEST(password_policy_length_bounds)
{
	char pw[PASSWORD_MAX_BYTES + 2];
	enum pw_reason why;
	int i;

	/* 128 characters of a random-looking mix pass, 129 don't. */
	for (i = 0; i < 129; i++)
		pw[i] = "kq7Zp2Lx9Vw4"[i % 12];
	pw[128] = '\0';
	CHECK(password_check_policy(pw, "x", &why, NULL, 0) == 0);
	pw[128] = 'y';
	pw[129] = '\0';
	CHECK(password_check_policy(pw, "x", &why, NULL, 0) == WK_EINVAL &&
	      why == PW_TOO_LONG);
	/* 128 Chinese characters are 384 bytes and still allowed. */
	{
		char zh[128 * 3 + 4];
		for (i = 0; i < 128; i++)
			memcpy(zh + i * 3, i % 2 ? "书" : "文", 3);
		zh[128 * 3] = '\0';
		CHECK(password_check_policy(zh, "x", &why, NULL, 0) == 0);
	}
	/* Over PASSWORD_MAX_BYTES is refused before normalising. */
	memset(pw, 'a', PASSWORD_MAX_BYTES + 1);
	pw[PASSWORD_MAX_BYTES + 1] = '\0';
	CHECK(password_check_policy(pw, "x", &why, NULL, 0) == WK_EINVAL &&
	      why == PW_TOO_LONG);
}

TEST(password_hash_format_and_verify)
{
	char h[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE];

	CHECK(password_hash("correct horse battery staple", h) == 0);
	CHECK(!strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$",
		       strlen("$argon2id$v=19$m=19456,t=2,p=1$")));
	CHECK(password_verify(h, "correct horse battery staple") == 0);
	CHECK(password_verify(h, "correct horse battery stapl") ==
	      WK_EFORBIDDEN);
	CHECK(password_verify(h, "") == WK_EFORBIDDEN);
	CHECK(password_verify(h, NULL) == WK_EFORBIDDEN);
	CHECK(password_verify(NULL, "x") == WK_EFORBIDDEN);
	CHECK(password_verify("not a hash", "x") == WK_EFORBIDDEN);
	CHECK(!password_needs_rehash(h));

	/* Salted: the same password hashes differently. */
	CHECK(password_hash("correct horse battery staple", h2) == 0);
	CHECK(strcmp(h, h2) != 0);

	/* Chinese passwords, and full-width input matching half-width. */
	CHECK(password_hash("我的密码很长很安全", h) == 0);
	CHECK(password_verify(h, "我的密码很长很安全") == 0);
	CHECK(password_verify(h, "我的密码很长很安") == WK_EFORBIDDEN);
	CHECK(password_hash("ｋｑ７ｚｐ２ｌｘ", h) == 0);
	CHECK(password_verify(h, "kq7zp2lx") == 0);
	/* Composed and decomposed é are one password. */
	CHECK(password_hash("caf\xc3\xa9-au-lait", h) == 0);
	CHECK(password_verify(h, "cafe\xcc\x81-au-lait") == 0);

	CHECK(password_hash("\xff\xfe", h) == WK_EINVAL);
}

TEST(password_needs_rehash_on_other_parameters)
{
	char h[PASSWORD_HASH_SIZE];

	CHECK(password_needs_rehash(NULL));
	CHECK(password_needs_rehash(""));
	CHECK(password_needs_rehash("$2y$10$abcdefghijklmnopqrstuv"));
	CHECK(crypto_pwhash_str_alg(h, "pw", 2, 3, PASSWORD_MEMLIMIT,
				    crypto_pwhash_ALG_ARGON2ID13) == 0);
	CHECK(password_needs_rehash(h));
	CHECK(password_verify(h, "pw") == 0);	/* still verifies */
	CHECK(crypto_pwhash_str_alg(h, "pw", 2, 3, PASSWORD_MEMLIMIT,
				    crypto_pwhash_ALG_ARGON2I13) == 0);
	CHECK(password_needs_rehash(h));
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

TEST(password_dummy_verify_costs_a_verify)
{
	char h[PASSWORD_HASH_SIZE];
	struct timespec t0;
	double wrong, dummy;

	CHECK(password_hash("correct horse battery staple", h) == 0);
	password_dummy_verify("warm up");	/* the dummy hash is made once */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(password_verify(h, "wrong horse battery staple") ==
	      WK_EFORBIDDEN);
	wrong = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	password_dummy_verify("wrong horse battery staple");
	dummy = ms_since(&t0);
	if (wrong <= 10 || dummy <= 10)
		fprintf(stderr, "    wrong %.1f ms, dummy %.1f ms\n", wrong,
			dummy);
	CHECK(wrong > 10);
	CHECK(dummy > 10);
}

struct hash_job {
	char pw[32];
	char hash[PASSWORD_HASH_SIZE];
	int rc, vrc;
};

static void *hash_thread(void *arg)
{
	struct hash_job *j = arg;
	j->rc = password_hash(j->pw, j->hash);
	j->vrc = j->rc ? j->rc : password_verify(j->hash, j->pw);
	return NULL;
}

TEST(password_concurrent_hashing_is_limited)
{
	struct hash_job jobs[8];
	pthread_t th[8];
	unsigned slots, peak;
	int i;

	for (i = 0; i < 8; i++) {
		snprintf(jobs[i].pw, sizeof(jobs[i].pw), "thread-%d-密码", i);
		jobs[i].rc = jobs[i].vrc = 1;
		CHECK(pthread_create(&th[i], NULL, hash_thread, &jobs[i]) == 0);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 8; i++) {
		CHECK(jobs[i].rc == 0);
		CHECK(jobs[i].vrc == 0);
		CHECK(!strncmp(jobs[i].hash, "$argon2id$", 10));
	}
	password_limiter_stats(&slots, &peak);
	CHECK(slots >= 1);
	CHECK(peak >= 1 && peak <= slots);
}
