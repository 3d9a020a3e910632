/*
 * test_ledger_load.c - the points ledger under load, retries and
 * crashes, against the release binary over loopback:
 *
 *  - 100 accounts redeem one code at once: one wins, credited once;
 *  - 64 clients make 5,000 mixed purchases, top-ups, redemptions and
 *    downloads: `wenku check` passes, no balance is negative, and the
 *    purchases the clients saw paid are exactly the ledger's purchases;
 *  - Idempotency-Key: each key sent 1-5 times at once and again after
 *    a restart gives one transaction and byte-identical replies; the
 *    same key with other parameters is refused;
 *  - 50 rounds of load ended by kill -9: the database is intact, the
 *    ledger checks, and every purchase and top-up acknowledged is there.
 *
 * Each account sends from its own loopback address (127.0.1.N), as
 * clients on the internet would, so the per-address limits (connections,
 * code guessing) apply per account rather than to the whole test.
 */
#include "client.h"
#include "itest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NLOAD 100		/* low-balance accounts under load */
#define NIK 20			/* accounts of the idempotency test */
#define NACC (NLOAD + NIK)
#define NDOCS 6
#define NCODES 400
#define CLIENTS 64
#define OPS 5000
#define KILL_ROUNDS 50
#define KILL_CLIENTS 16
#define PASSWORD "Load-Test-Pass-1"
#define SECRET "itest-load-gateway-secret-0123456789"

extern char **environ;

struct acct {
	char name[16];
	char ip[20];
	char sess[80];
	char csrf[48];
	long long id;
};

static struct acct acc[NACC];
static long long docs[2 * NDOCS];	/* the second half: kill rounds */
static int prices[2 * NDOCS];
static char codes[NCODES][32];
static _Atomic int port;	/* the server's, changes with restarts */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- helpers ---------------------------------------------------------*/

/* One request from source address src (NULL: the default); 0 or -1 when
 * the connection failed (a killed server). */
static int req(const char *src, const char *method, const char *path,
	       const char *headers, const char *body, struct resp *r)
{
	size_t blen = body ? strlen(body) : 0;
	size_t need = strlen(path) + (headers ? strlen(headers) : 0) + blen +
		      300;
	char *raw = malloc(need);
	struct sockaddr_in a;
	struct timeval tv = { 15, 0 };
	int fd, rc, n;

	n = snprintf(raw, need, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
		     "Connection: close\r\n%s", method, path, atomic_load(&port),
		     headers ? headers : "");
	if (body)
		n += snprintf(raw + n, need - (size_t)n,
			      "Content-Length: %zu\r\n", blen);
	n += snprintf(raw + n, need - (size_t)n, "\r\n");
	if (body) {
		memcpy(raw + n, body, blen);
		n += (int)blen;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (src) {
		inet_pton(AF_INET, src, &a.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
			close(fd);
			free(raw);
			return -1;
		}
	}
	a.sin_port = htons((uint16_t)atomic_load(&port));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		free(raw);
		return -1;
	}
	rc = conn_request(fd, raw, (size_t)n, r);
	close(fd);
	free(raw);
	return rc;
}

/* A call as account a (session, CSRF header, JSON), with extra header
 * lines (may be NULL). */
static int as(struct acct *a, const char *method, const char *path,
	      const char *extra, const char *body, struct resp *r)
{
	char h[600];

	snprintf(h, sizeof(h), "Cookie: wk_session=%s\r\nX-CSRF-Token: %s\r\n"
		 "Content-Type: application/json\r\n%s", a->sess, a->csrf,
		 extra ? extra : "");
	return req(a->ip, method, path, h, body, r);
}

/* A signed payment notification; status or -1. */
static int notify(const char *body, struct resp *r)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * sizeof(mac) + 1], h[200];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET,
				    strlen(SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
				      strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(h, sizeof(h), "Content-Type: application/json\r\n"
		 "X-Wenku-Signature: %s\r\n", hex);
	return req("127.0.2.1", "POST", "/api/v1/payments/notify", h, body, r)
		       ? -1
		       : r->status;
}

/* Run a command (stdin_text may be NULL); its exit status, its standard
 * output in *out (malloc'd, may be NULL). */
static int run(const char *const *argv, const char *stdin_text, char **out)
{
	return run_cmd_ex(argv, stdin_text, out, false);
}

static sqlite3 *db_open(const char *data)
{
	char path[600];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/wenku.db", data);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* The first column of the first row of sql (printf-style), or -1. */
static long long sql_int(const char *data, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static long long sql_int(const char *data, const char *fmt, ...)
{
	char sql[1024];
	sqlite3 *db = db_open(data);
	sqlite3_stmt *st;
	long long v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (!db)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	} else {
		fprintf(stderr, "  sql: %s: %s\n", sql, sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return v;
}

/* PRAGMA integrity_check says "ok". */
static int integrity_ok(const char *data)
{
	sqlite3 *db = db_open(data);
	sqlite3_stmt *st;
	int ok = 0;

	if (!db)
		return 0;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ok = !strcmp((const char *)sqlite3_column_text(st, 0),
				     "ok");
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return ok;
}

static int wenku_check(const char *bin, const char *data)
{
	const char *av[] = { bin, "check", "--data", data, NULL };
	char *o = NULL;
	int st = run(av, NULL, &o);

	if (st != 0 || !o || !strstr(o, "ledger: ok"))
		fprintf(stderr, "  wenku check: exit %d: %s\n", st, o ? o : "");
	free(o);
	return st;
}

static long long json_int(const char *body, const char *key)
{
	char k[40];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\":", key);
	p = body ? strstr(body, k) : NULL;
	return p ? atoll(p + strlen(k)) : -1;
}

/* ---- setting up ------------------------------------------------------*/

static void *signin_range(void *arg)
{
	int i, from = *(int *)arg;
	char body[120], h[120];

	for (i = from; i < NACC; i += 8) {
		struct resp r;
		const char *p;

		snprintf(body, sizeof(body),
			 "{\"name\":\"%s\",\"password\":\"" PASSWORD "\"}",
			 acc[i].name);
		snprintf(h, sizeof(h), "Content-Type: application/json\r\n"
			 "Origin: http://127.0.0.1:%d\r\n", atomic_load(&port));
		if (req(acc[i].ip, "POST", "/api/v1/auth/login", h, body, &r))
			continue;
		p = r.headers ? strstr(r.headers, "set-cookie: wk_session=")
			      : NULL;
		if (r.status == 200 && p)
			snprintf(acc[i].sess, sizeof(acc[i].sess), "%.*s",
				 (int)strcspn(p + 23, ";\r"), p + 23);
		p = r.body ? strstr(r.body, "\"csrf\":\"") : NULL;
		if (p)
			snprintf(acc[i].csrf, sizeof(acc[i].csrf), "%.*s",
				 (int)strcspn(p + 8, "\""), p + 8);
		resp_free(&r);
	}
	return NULL;
}

/* Accounts, documents, codes; the server started. 0 when all is set. */
static int setup(const char *bin, const char *data, struct server *s)
{
	char path[700], *o = NULL, *p;
	int i, k, ok = 1;
	FILE *f;

	{
		const char *av[] = { bin, "config", "--data", data, "set",
				    "payment_secret", SECRET, NULL };
		ok &= run(av, NULL, NULL) == 0;
	}
	{
		const char *av[] = { bin, "user", "add", "ltprov", "--role",
				    "provider", "--data", data, NULL };
		const char *bv[] = { bin, "user", "add", "lt000", "--data",
				    data, NULL };
		ok &= run(av, PASSWORD "\n", NULL) == 0;
		ok &= run(bv, PASSWORD "\n", NULL) == 0;
	}
	/* The other accounts are copies of lt000 (same password hash): a
	 * test-only shortcut past 119 argon2 hashes and the sign-up limit. */
	{
		sqlite3 *db = db_open(data);
		ok &= db && sqlite3_exec(db,
			"INSERT INTO users (name, display_name, role, "
			"password_hash, created_at) "
			"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
			"SELECT i + 1 FROM n WHERE i < 119) "
			"SELECT CASE WHEN i < 100 THEN printf('lt%03d', i) "
			"ELSE printf('ik%02d', i - 100) END, 'load', 'reader', "
			"password_hash, created_at FROM n, users "
			"WHERE users.name = 'lt000'", NULL, NULL, NULL) ==
			SQLITE_OK;
		sqlite3_close(db);
	}
	for (i = 0; i < NACC; i++) {
		if (i < NLOAD)
			snprintf(acc[i].name, sizeof(acc[i].name), "lt%03d", i);
		else
			snprintf(acc[i].name, sizeof(acc[i].name), "ik%02d",
				 i - NLOAD);
		snprintf(acc[i].ip, sizeof(acc[i].ip), "127.0.1.%d", i + 1);
		acc[i].id = sql_int(data, "SELECT id FROM users WHERE name = "
				    "'%s'", acc[i].name);
		ok &= acc[i].id > 0;
	}
	/* Twice six paid documents: three at 7 points, three at 12. */
	for (k = 0; k < 4; k++) {
		const char *av[12] = { bin, "import", "--data", data, "--json",
				       "--publish", "--price", k % 2 ? "12" : "7",
				       "--provider", "ltprov" };
		char files[3][700];
		const char *argv[16];
		int n = 0, j;

		for (j = 0; j < 10; j++)
			argv[n++] = av[j];
		for (j = 0; j < 3; j++) {
			snprintf(files[j], sizeof(files[j]), "%s-doc%d.txt", data,
				 k * 3 + j);
			if ((f = fopen(files[j], "w"))) {
				int line;
				for (line = 0; line < 40; line++)
					fprintf(f, "第%d份资料 第%d行 load test "
						"document %d line %d.\n",
						k * 3 + j, line, k * 3 + j, line);
				fclose(f);
			}
			argv[n++] = files[j];
		}
		argv[n] = NULL;
		ok &= run(argv, NULL, &o) == 0;
		for (p = o, j = 0; o && j < 3; j++) {
			p = strstr(p, "\"status\":\"imported\",\"id\":");
			if (!p)
				break;
			docs[k * 3 + j] = atoll(p + 25);
			prices[k * 3 + j] = k % 2 ? 12 : 7;
			p += 25;
		}
		if (j < 3)
			fprintf(stderr, "  import said: %s\n", o ? o : "");
		ok &= j == 3;
		free(o);
	}
	/* Codes of 10 points; codes[0] is worth 50. */
	{
		const char *av[] = { bin, "codes", "generate", "--points", "10",
				    "--count", "399", "--batch", "load",
				    "--data", data, NULL };
		const char *bv[] = { bin, "codes", "generate", "--points", "50",
				    "--count", "1", "--batch", "one",
				    "--data", data, NULL };
		ok &= run(bv, NULL, &o) == 0;
		p = o ? strchr(o, '\n') : NULL;
		if (p)
			snprintf(codes[0], sizeof(codes[0]), "%.23s", p + 1);
		free(o);
		ok &= run(av, NULL, &o) == 0;
		for (i = 1, p = o; p && i < NCODES; i++) {
			p = strchr(p, '\n');
			if (!p || !p[1])
				break;
			snprintf(codes[i], sizeof(codes[i]), "%.23s", p + 1);
			p++;
		}
		ok &= i == NCODES;
		free(o);
	}
	{
		const char *extra[] = { "--threads", "8", NULL };
		snprintf(path, sizeof(path), "%s", data);
		if (server_start(s, bin, path, extra))
			return -1;
		atomic_store(&port, s->port);
	}
	{
		pthread_t t[8];
		int from[8];
		for (i = 0; i < 8; i++) {
			from[i] = i;
			pthread_create(&t[i], NULL, signin_range, &from[i]);
		}
		for (i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
		for (i = 0; i < NACC; i++)
			if (!acc[i].sess[0] || !acc[i].csrf[0]) {
				fprintf(stderr, "  %s did not sign in\n",
					acc[i].name);
				ok = 0;
			}
	}
	return ok ? 0 : -1;
}

/* ---- one code, 100 redeemers -------------------------------------------*/

static pthread_barrier_t gate;
static _Atomic int won, lost, odd;

static void *redeem_one(void *arg)
{
	struct acct *a = arg;
	char body[80];
	struct resp r;

	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", codes[0]);
	pthread_barrier_wait(&gate);
	if (as(a, "POST", "/api/v1/codes/redeem", NULL, body, &r)) {
		atomic_fetch_add(&odd, 1);
		return NULL;
	}
	if (r.status == 200 && strstr(r.body, "\"replayed\":false"))
		atomic_fetch_add(&won, 1);
	else if (r.status == 409 && strstr(r.body, "already_redeemed"))
		atomic_fetch_add(&lost, 1);
	else
		atomic_fetch_add(&odd, 1);
	resp_free(&r);
	return NULL;
}

static void test_one_code(const char *data)
{
	pthread_t t[NLOAD];
	long long before, after;
	int i;

	begin("ledger load: 100 concurrent redemptions of one code, one wins");
	before = sql_int(data, "SELECT SUM(balance) FROM ledger_accounts "
			 "WHERE kind = 'user'");
	pthread_barrier_init(&gate, NULL, NLOAD);
	for (i = 0; i < NLOAD; i++)
		pthread_create(&t[i], NULL, redeem_one, &acc[i]);
	for (i = 0; i < NLOAD; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&gate);
	after = sql_int(data, "SELECT SUM(balance) FROM ledger_accounts "
			"WHERE kind = 'user'");
	CHECK(atomic_load(&won) == 1);
	CHECK(atomic_load(&lost) == NLOAD - 1);
	CHECK(atomic_load(&odd) == 0);
	CHECK(after == (before < 0 ? 0 : before) + 50);
	fprintf(stderr, "  one code x %d: %d won, %d told already_redeemed, "
		"%d other; balances +%lld\n", NLOAD, atomic_load(&won),
		atomic_load(&lost), atomic_load(&odd),
		after - (before < 0 ? 0 : before));
	end();
}

/* ---- 64 clients, 5,000 operations ----------------------------------------*/

struct paid {
	int acct, doc;
	long long tx;
};

/* What the load saw; guarded by mu where it is not atomic. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct paid *paid;
static size_t npaid, cap_paid;
static char (*topups)[32];
static size_t ntopups, cap_topups;
static _Atomic int op_next, payid_next;
static _Atomic int n_already, n_short, n_topup, n_redeem, n_used, n_limited,
	n_dl, n_denied, n_unexpected, n_failed;
static _Atomic int stop;

/* Keyed purchases in the kill rounds: the first reply seen per key. */
#define NKEYS (NLOAD * NDOCS * 5)
static char *key_body[NKEYS];
static int key_status[NKEYS];
static _Atomic int key_mismatch, n_keyed, n_replayed;

static void record_paid(int a, int d, long long tx)
{
	pthread_mutex_lock(&mu);
	if (npaid == cap_paid) {
		cap_paid = cap_paid ? cap_paid * 2 : 1024;
		paid = realloc(paid, cap_paid * sizeof(*paid));
	}
	paid[npaid].acct = a;
	paid[npaid].doc = d;
	paid[npaid].tx = tx;
	npaid++;
	pthread_mutex_unlock(&mu);
}

static void record_topup(const char *id)
{
	pthread_mutex_lock(&mu);
	if (ntopups == cap_topups) {
		cap_topups = cap_topups ? cap_topups * 2 : 1024;
		topups = realloc(topups, cap_topups * sizeof(*topups));
	}
	snprintf(topups[ntopups++], sizeof(topups[0]), "%s", id);
	pthread_mutex_unlock(&mu);
}

static void unexpected(const char *what, const struct resp *r)
{
	if (atomic_fetch_add(&n_unexpected, 1) < 5)
		fprintf(stderr, "  unexpected %s reply %d: %.200s\n", what,
			r->status, r->body ? r->body : "");
}

/* One random operation by a random load account; -1 when the
 * connection failed. keyed: purchases may carry an Idempotency-Key
 * (kill rounds, round gives the key's generation). */
static int one_op(unsigned *seed, int with_download, int keyed, int round)
{
	int ai = (int)(rand_r(seed) % NLOAD), d = (int)(rand_r(seed) % NDOCS);
	int dk = keyed ? NDOCS + d : d;	/* the kill rounds' own documents */
	int kind = (int)(rand_r(seed) % 100);
	struct acct *a = &acc[ai];
	char path[96], body[160], hdr[80];
	struct resp r;

	if (kind < 40) {		/* purchase */
		int key = -1;
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/purchase",
			 docs[dk]);
		hdr[0] = '\0';
		if (keyed && rand_r(seed) % 2) {
			key = (ai * NDOCS + d) * 5 + round / 10 % 5;
			snprintf(hdr, sizeof(hdr), "Idempotency-Key: kr-%d\r\n",
				 key);
		}
		if (as(a, "POST", path, hdr, "", &r))
			return -1;
		if (key >= 0 && (r.status == 200 || r.status == 402)) {
			pthread_mutex_lock(&mu);
			if (!key_body[key]) {
				key_body[key] = strdup(r.body);
				key_status[key] = r.status;
			} else if (key_status[key] != r.status ||
				   strcmp(key_body[key], r.body)) {
				if (atomic_fetch_add(&key_mismatch, 1) < 3)
					fprintf(stderr, "  key kr-%d: %d %s "
						"then %d %s\n", key,
						key_status[key], key_body[key],
						r.status, r.body);
			}
			pthread_mutex_unlock(&mu);
			atomic_fetch_add(&n_keyed, 1);
		}
		if (r.headers && strstr(r.headers, "\nidempotent-replayed: true"))
			atomic_fetch_add(&n_replayed, 1);
		else if (r.status == 200 && strstr(r.body, "\"already\":false"))
			record_paid(ai, dk, json_int(r.body, "tx"));
		else if (r.status == 200 && strstr(r.body, "\"already\":true"))
			atomic_fetch_add(&n_already, 1);
		else if (r.status == 402)
			atomic_fetch_add(&n_short, 1);
		else
			unexpected("purchase", &r);
	} else if (kind < 65) {		/* top-up from the gateway */
		char id[32];
		snprintf(id, sizeof(id), "ld-%d-%d", round,
			 atomic_fetch_add(&payid_next, 1));
		snprintf(body, sizeof(body), "{\"payment_id\":\"%s\","
			 "\"user\":\"%s\",\"points\":%d}", id, a->name,
			 5 + (int)(rand_r(seed) % 21));
		if (notify(body, &r) < 0)
			return -1;
		if (r.status == 200 && strstr(r.body, "\"replayed\":false")) {
			atomic_fetch_add(&n_topup, 1);
			record_topup(id);
		} else {
			unexpected("top-up", &r);
		}
	} else if (kind < 80 || !with_download) {	/* redemption */
		snprintf(body, sizeof(body), "{\"code\":\"%s\"}",
			 codes[1 + rand_r(seed) % 299]);
		if (as(a, "POST", "/api/v1/codes/redeem", NULL, body, &r))
			return -1;
		if (r.status == 200)
			atomic_fetch_add(&n_redeem, 1);
		else if (r.status == 409 && strstr(r.body, "already_redeemed"))
			atomic_fetch_add(&n_used, 1);
		else if (r.status == 429)
			atomic_fetch_add(&n_limited, 1);
		else
			unexpected("redemption", &r);
	} else {			/* download */
		char id[64];
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/download",
			 docs[d]);
		if (as(a, "GET", path, NULL, NULL, &r))
			return -1;
		if (r.status == 200 &&
		    resp_header(&r, "x-download-id", id, sizeof(id)) == 0)
			atomic_fetch_add(&n_dl, 1);
		else if (r.status == 403 && strstr(r.body, "not_purchased"))
			atomic_fetch_add(&n_denied, 1);
		else
			unexpected("download", &r);
	}
	resp_free(&r);
	return 0;
}

static void *load_client(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 7919u + 17u;

	while (atomic_fetch_add(&op_next, 1) < OPS)
		if (one_op(&seed, 1, 0, 0))
			atomic_fetch_add(&n_failed, 1);
	return NULL;
}

/* Every purchase a client saw paid has its entitlement with that
 * transaction; how many do not. */
static size_t paid_missing(const char *data)
{
	sqlite3 *db = db_open(data);
	sqlite3_stmt *st = NULL;
	size_t i, missing = 0;

	if (!db || sqlite3_prepare_v2(db, "SELECT tx_id FROM entitlements "
					  "WHERE user_id = ? AND doc_id = ?",
				      -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return npaid ? npaid : 1;
	}
	for (i = 0; i < npaid; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, acc[paid[i].acct].id);
		sqlite3_bind_int64(st, 2, docs[paid[i].doc]);
		if (sqlite3_step(st) != SQLITE_ROW ||
		    sqlite3_column_int64(st, 0) != paid[i].tx) {
			if (missing++ < 3)
				fprintf(stderr, "  acknowledged purchase of "
					"doc %lld by %s (tx %lld) is missing\n",
					docs[paid[i].doc], acc[paid[i].acct].name,
					paid[i].tx);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return missing;
}

/* Every top-up acknowledged is in the ledger; how many are not. */
static size_t topups_missing(const char *data)
{
	sqlite3 *db = db_open(data);
	sqlite3_stmt *st = NULL;
	size_t i, missing = 0;

	if (!db || sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM "
					  "ledger_transactions WHERE idem_key = "
					  "'pay:' || ?",
				      -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return ntopups ? ntopups : 1;
	}
	for (i = 0; i < ntopups; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, topups[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW ||
		    sqlite3_column_int64(st, 0) != 1)
			if (missing++ < 3)
				fprintf(stderr, "  acknowledged top-up %s is "
					"missing\n", topups[i]);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return missing;
}

static void test_load(const char *bin, const char *data)
{
	pthread_t t[CLIENTS];
	double t0, dt;
	long long ntx;
	int i;

	begin("ledger load: 64 clients x 5,000 mixed operations, ledger checks");
	t0 = now_s();
	for (i = 0; i < CLIENTS; i++)
		pthread_create(&t[i], NULL, load_client, (void *)(uintptr_t)i);
	for (i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);
	dt = now_s() - t0;
	ntx = sql_int(data, "SELECT COUNT(*) FROM ledger_transactions "
		      "WHERE kind = 'purchase'");
	fprintf(stderr, "  %d ops by %d clients in %.1f s (%.0f/s): %zu "
		"bought, %d already, %d short; %d top-ups; %d redeemed, %d "
		"used, %d limited; %d downloads, %d refused; %d unexpected, "
		"%d failed; ledger purchases %lld\n",
		OPS, CLIENTS, dt, OPS / dt, npaid, atomic_load(&n_already),
		atomic_load(&n_short), atomic_load(&n_topup),
		atomic_load(&n_redeem), atomic_load(&n_used),
		atomic_load(&n_limited), atomic_load(&n_dl),
		atomic_load(&n_denied), atomic_load(&n_unexpected),
		atomic_load(&n_failed), ntx);
	CHECK(atomic_load(&n_unexpected) == 0);
	CHECK(atomic_load(&n_failed) == 0);
	CHECK(npaid > 50 && atomic_load(&n_short) > 0);
	CHECK(atomic_load(&n_dl) > 0 && atomic_load(&n_redeem) > 0);
	/* What the clients saw paid is what the ledger holds, one by one. */
	CHECK(ntx == (long long)npaid);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM entitlements") ==
	      (long long)npaid);
	CHECK(paid_missing(data) == 0);
	CHECK(topups_missing(data) == 0);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM ledger_accounts WHERE "
		      "kind <> 'issuance' AND balance < 0") == 0);
	CHECK(wenku_check(bin, data) == 0);
	end();
}

/* ---- Idempotency-Key ------------------------------------------------------*/

#define MAXSEND 5

struct send {
	struct acct *a;
	const char *method;
	char path[96], body[80], key[40];
	int status;
	char *reply;		/* body, malloc'd */
	size_t len;
	char dlid[64], replayed[16];
};

/* One key of the test: its sends. */
struct ikey {
	struct send s[MAXSEND];
	int n;
};

static void *send_one(void *arg)
{
	struct send *s = arg;
	char h[80];
	struct resp r;

	snprintf(h, sizeof(h), "Idempotency-Key: %s\r\n", s->key);
	pthread_barrier_wait(&gate);
	s->status = -1;
	if (as(s->a, s->method, s->path, h, s->method[0] == 'P' ? s->body : NULL,
	       &r))
		return NULL;
	s->status = r.status;
	s->reply = r.body;
	s->len = r.body_len;
	r.body = NULL;
	resp_header(&r, "x-download-id", s->dlid, sizeof(s->dlid));
	resp_header(&r, "idempotent-replayed", s->replayed,
		    sizeof(s->replayed));
	resp_free(&r);
	return NULL;
}

/* Send every key's sends at once. */
static void fire(struct ikey *keys, int nkeys)
{
	pthread_t t[3 * NIK * MAXSEND];
	int i, j, n = 0;

	for (i = 0; i < nkeys; i++)
		n += keys[i].n;
	pthread_barrier_init(&gate, NULL, (unsigned)n);
	for (i = 0, n = 0; i < nkeys; i++)
		for (j = 0; j < keys[i].n; j++)
			pthread_create(&t[n++], NULL, send_one, &keys[i].s[j]);
	while (n--)
		pthread_join(t[n], NULL);
	pthread_barrier_destroy(&gate);
}

/* All sends of a key got the same status and bytes; the first send's
 * reply is in *first. */
static int same_replies(const struct ikey *k)
{
	int j;

	for (j = 1; j < k->n; j++)
		if (k->s[j].status != k->s[0].status ||
		    k->s[j].len != k->s[0].len ||
		    memcmp(k->s[j].reply, k->s[0].reply, k->s[0].len) ||
		    strcmp(k->s[j].dlid, k->s[0].dlid))
			return 0;
	return k->s[0].status > 0;
}

static void key_init(struct ikey *k, struct acct *a, const char *method,
		     const char *path, const char *body, const char *key,
		     int n)
{
	int j;

	memset(k, 0, sizeof(*k));
	k->n = n;
	for (j = 0; j < n; j++) {
		k->s[j].a = a;
		k->s[j].method = method;
		snprintf(k->s[j].path, sizeof(k->s[j].path), "%s", path);
		snprintf(k->s[j].body, sizeof(k->s[j].body), "%s",
			 body ? body : "");
		snprintf(k->s[j].key, sizeof(k->s[j].key), "%s", key);
	}
}

static void keys_free(struct ikey *keys, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < MAXSEND; j++)
			free(keys[i].s[j].reply);
}

static void test_idempotency(const char *bin, const char *data,
			     struct server *srv)
{
	static struct ikey buy[NIK], code[NIK], dl[NIK], again[3 * NIK];
	char path[96], body[80], key[40], h[400];
	long long bal[NIK];
	struct resp r;
	int i, j, differ = 0, marks = 0, bad = 0;

	begin("Idempotency-Key: 1-5 sends at once and after a restart, one "
	      "transaction, same bytes");
	for (i = 0; i < NIK; i++) {	/* 100 points each */
		snprintf(body, sizeof(body), "{\"payment_id\":\"ik-%d\","
			 "\"user\":\"%s\",\"points\":100}", i,
			 acc[NLOAD + i].name);
		CHECK(notify(body, &r) == 200);
		resp_free(&r);
	}
	for (i = 0; i < NIK; i++) {
		struct acct *a = &acc[NLOAD + i];
		int d = i % NDOCS;

		snprintf(path, sizeof(path), "/api/v1/documents/%lld/purchase",
			 docs[d]);
		snprintf(key, sizeof(key), "buy-%d", i);
		key_init(&buy[i], a, "POST", path, "", key, 1 + i % MAXSEND);
		snprintf(body, sizeof(body), "{\"code\":\"%s\"}", codes[300 + i]);
		snprintf(key, sizeof(key), "code-%d", i);
		key_init(&code[i], a, "POST", "/api/v1/codes/redeem", body, key,
			 1 + (i + 2) % MAXSEND);
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/download",
			 docs[d]);
		snprintf(key, sizeof(key), "dl-%d", i);
		key_init(&dl[i], a, "GET", path, NULL, key,
			 1 + (i + 4) % MAXSEND);
	}
	fire(buy, NIK);
	fire(code, NIK);
	fire(dl, NIK);
	for (i = 0; i < NIK; i++) {
		struct acct *a = &acc[NLOAD + i];
		int d = i % NDOCS;

		{
			struct ikey *ks[3] = { &buy[i], &code[i], &dl[i] };
			for (j = 0; j < 3; j++)
				if (!same_replies(ks[j]) && differ++ < 3)
					fprintf(stderr, "  %s: replies to %s "
						"differ\n", a->name,
						ks[j]->s[0].key);
		}
		CHECK(buy[i].s[0].status == 200 &&
		      strstr(buy[i].s[0].reply, "\"already\":false"));
		CHECK(code[i].s[0].status == 200 &&
		      strstr(code[i].s[0].reply, "\"replayed\":false"));
		CHECK(dl[i].s[0].status == 200 && dl[i].s[0].dlid[0] &&
		      dl[i].s[0].len > 100);
		/* Retries were marked as replays, the first was not. */
		for (j = 0, marks = 0; j < buy[i].n; j++)
			marks += buy[i].s[j].replayed[0] != '\0';
		CHECK(marks == buy[i].n - 1);
		/* One purchase, one redemption, one download. */
		bal[i] = sql_int(data, "SELECT balance FROM ledger_accounts "
				 "WHERE kind = 'user' AND user_id = %lld",
				 a->id);
		CHECK(bal[i] == 100 - prices[d] + 10);
		CHECK(sql_int(data, "SELECT COUNT(*) FROM entitlements WHERE "
			      "user_id = %lld", a->id) == 1);
		CHECK(sql_int(data, "SELECT COUNT(*) FROM downloads WHERE "
			      "user_id = %lld", a->id) == 1);
	}
	/* The same key with other parameters: refused, nothing done. */
	{
		struct acct *a = &acc[NLOAD];
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/purchase",
			 docs[1]);
		CHECK(as(a, "POST", path, "Idempotency-Key: buy-0\r\n", "",
			 &r) == 0 && r.status == 409);
		CHECK_HAS(r.body, "idempotency_key_reused");
		resp_free(&r);
		CHECK(as(a, "POST", "/api/v1/codes/redeem",
			 "Idempotency-Key: buy-0\r\n", "{\"code\":\"x\"}",
			 &r) == 0 && r.status == 409);
		resp_free(&r);
		snprintf(body, sizeof(body), "{\"code\":\"%s\"}", codes[399]);
		CHECK(as(a, "POST", "/api/v1/codes/redeem",
			 "Idempotency-Key: code-0\r\n", body, &r) == 0 &&
		      r.status == 409);
		resp_free(&r);
		CHECK(sql_int(data, "SELECT COUNT(*) FROM entitlements WHERE "
			      "user_id = %lld", a->id) == 1);
		CHECK(sql_int(data, "SELECT balance FROM ledger_accounts "
			      "WHERE kind = 'user' AND user_id = %lld",
			      a->id) == bal[0]);
		/* A key must be 1-255 printable ASCII characters. */
		snprintf(h, sizeof(h), "Idempotency-Key: %0300d\r\n", 7);
		CHECK(as(a, "POST", path, h, "", &r) == 0 && r.status == 400);
		CHECK_HAS(r.body, "bad_idempotency_key");
		resp_free(&r);
		/* Keys are per account: ik01's "buy-0" is not ik00's. */
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/purchase",
			 docs[0]);
		CHECK(as(&acc[NLOAD + 1], "POST", path,
			 "Idempotency-Key: buy-0\r\n", "", &r) == 0 &&
		      r.status == 200);
		CHECK(r.body && strcmp(r.body, buy[0].s[0].reply) != 0);
		CHECK(!r.headers || !strstr(r.headers, "idempotent-replayed"));
		resp_free(&r);
		bal[1] -= prices[0];
		/* No CSRF header: refused before the key is looked at. */
		snprintf(h, sizeof(h), "Cookie: wk_session=%s\r\n"
			 "Idempotency-Key: buy-0\r\n", a->sess);
		CHECK(req(a->ip, "POST", path, h, "", &r) == 0 &&
		      r.status == 403);
		CHECK(!r.headers || !strstr(r.headers, "idempotent-replayed"));
		resp_free(&r);
		/* Guests have no keys. */
		snprintf(path, sizeof(path), "/api/v1/documents/%lld/download",
			 docs[0]);
		CHECK(req(a->ip, "GET", path, "Idempotency-Key: g\r\n", NULL,
			  &r) == 0 && r.status == 401);
		resp_free(&r);
	}
	/* After a restart: the same replies again, nothing new done. */
	CHECK(server_stop(srv) == 0);
	{
		const char *extra[] = { "--threads", "8", NULL };
		CHECK(server_start(srv, bin, data, extra) == 0);
		atomic_store(&port, srv->port);
	}
	for (i = 0; i < NIK; i++) {
		struct ikey *src[3] = { &buy[i], &code[i], &dl[i] };
		for (j = 0; j < 3; j++) {
			struct send *s0 = &src[j]->s[0];
			key_init(&again[i * 3 + j], s0->a, s0->method, s0->path,
				 s0->body, s0->key, 1 + (i + j) % 2);
		}
	}
	CHECK(differ == 0);
	fire(again, 3 * NIK);
	for (i = 0; i < NIK; i++) {
		struct ikey *src[3] = { &buy[i], &code[i], &dl[i] };
		for (j = 0; j < 3; j++) {
			struct ikey *k = &again[i * 3 + j];
			struct send *s0 = &src[j]->s[0];
			int m;
			for (m = 0; m < k->n; m++)
				if (k->s[m].status != s0->status ||
				    k->s[m].len != s0->len ||
				    memcmp(k->s[m].reply, s0->reply, s0->len) ||
				    strcmp(k->s[m].dlid, s0->dlid) ||
				    strcmp(k->s[m].replayed, "true"))
					bad++;
		}
		CHECK(sql_int(data, "SELECT balance FROM ledger_accounts "
			      "WHERE kind = 'user' AND user_id = %lld",
			      acc[NLOAD + i].id) == bal[i]);
		CHECK(sql_int(data, "SELECT COUNT(*) FROM downloads WHERE "
			      "user_id = %lld", acc[NLOAD + i].id) == 1);
	}
	CHECK(bad == 0);
	/* Without a key, a purchase is still once per account and
	 * document, but its reply is today's. */
	snprintf(path, sizeof(path), "/api/v1/documents/%lld/purchase", docs[0]);
	CHECK(as(&acc[NLOAD], "POST", path, NULL, "", &r) == 0 &&
	      r.status == 200);
	CHECK_HAS(r.body, "\"already\":true");
	resp_free(&r);
	keys_free(buy, NIK);
	keys_free(code, NIK);
	keys_free(dl, NIK);
	keys_free(again, 3 * NIK);
	CHECK(wenku_check(bin, data) == 0);
	end();
}

/* ---- kill -9 ---------------------------------------------------------------*/

struct killer {
	int round;
	unsigned seed;
};

static void *kill_client(void *arg)
{
	struct killer *k = arg;

	while (!atomic_load(&stop))
		if (one_op(&k->seed, 0, 1, k->round))
			break;	/* the server is gone */
	return NULL;
}

static void test_kill(const char *bin, const char *data, struct server *srv)
{
	const char *extra[] = { "--threads", "8", NULL };
	size_t paid_before = npaid, topups_before = ntopups;
	int round, broken = 0, checked = 0;
	unsigned seed = 4242;
	double t0 = now_s();

	begin("ledger load: kill -9 at random moments x 50, nothing "
	      "acknowledged lost");
	server_stop(srv);
	for (round = 0; round < KILL_ROUNDS; round++) {
		pthread_t t[KILL_CLIENTS];
		struct killer kl[KILL_CLIENTS];
		struct timespec ts;
		int i;

		if (server_start(srv, bin, data, extra)) {
			fprintf(stderr, "  round %d: the server did not start\n",
				round);
			broken++;
			break;
		}
		atomic_store(&port, srv->port);
		atomic_store(&stop, 0);
		for (i = 0; i < KILL_CLIENTS; i++) {
			kl[i].round = round;
			kl[i].seed = (unsigned)(round * 1000 + i);
			pthread_create(&t[i], NULL, kill_client, &kl[i]);
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(50 + rand_r(&seed) % 400) * 1000000L;
		nanosleep(&ts, NULL);
		kill(srv->pid, SIGKILL);
		waitpid(srv->pid, NULL, 0);
		atomic_store(&stop, 1);
		for (i = 0; i < KILL_CLIENTS; i++)
			pthread_join(t[i], NULL);
		if (!integrity_ok(data) || wenku_check(bin, data) != 0) {
			fprintf(stderr, "  round %d: database or ledger broken\n",
				round);
			broken++;
		}
		checked++;
	}
	CHECK(broken == 0);
	CHECK(checked == KILL_ROUNDS);
	CHECK(server_start(srv, bin, data, extra) == 0);
	atomic_store(&port, srv->port);
	CHECK(integrity_ok(data));
	CHECK(wenku_check(bin, data) == 0);
	CHECK(paid_missing(data) == 0);
	CHECK(topups_missing(data) == 0);
	CHECK(atomic_load(&key_mismatch) == 0);
	CHECK(sql_int(data, "SELECT COUNT(*) FROM ledger_accounts WHERE "
		      "kind <> 'issuance' AND balance < 0") == 0);
	CHECK(atomic_load(&n_unexpected) == 0);
	fprintf(stderr, "  %d kill -9 rounds in %.1f s: %zu purchases and %zu "
		"top-ups acknowledged in them (%d purchase replies with an "
		"Idempotency-Key, %d of them replays), all present; "
		"integrity_check ok and wenku check passed after each\n",
		checked, now_s() - t0, npaid - paid_before,
		ntopups - topups_before, atomic_load(&n_keyed),
		atomic_load(&n_replayed));
	server_stop(srv);
	end();
}

void ledger_load_tests(const char *rel, const char *work)
{
	char data[600];
	struct server s;
	int i;

	snprintf(data, sizeof(data), "%s/load-data", work);
	begin("ledger load: 120 accounts, 12 paid documents, 400 codes, "
	      "signed in");
	if (setup(rel, data, &s)) {
		CHECK(0);
		end();
		return;
	}
	end();
	test_one_code(data);
	test_load(rel, data);
	test_idempotency(rel, data, &s);
	test_kill(rel, data, &s);
	for (i = 0; i < NKEYS; i++)
		free(key_body[i]);
	free(paid);
	free(topups);
}
