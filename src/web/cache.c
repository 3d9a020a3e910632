/*
 * cache.c - the page micro-cache: a fixed table of slots indexed by the
 * key's hash, each with its own lock, entries stamped with the time they
 * expire and the generation they were rendered in.
 */
#include "cache.h"

#include "../base/buf.h"
#include "../http/http.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 512
#define KEY_MAX 512
#define BODY_MAX (256 * 1024)

struct slot {
	pthread_mutex_t lock;
	char key[KEY_MAX];
	char *body;
	size_t len;
	uint64_t expires_ms;
	unsigned gen;
};

static struct slot slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_uint generation;
static atomic_uint ttl_ms = 1000;

static void init_slots(void)
{
	int i;
	for (i = 0; i < SLOTS; i++)
		pthread_mutex_init(&slots[i].lock, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct slot *slot_for(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	pthread_once(&once, init_slots);
	return &slots[h % SLOTS];
}

void page_cache_set_ttl(unsigned ms)
{
	atomic_store(&ttl_ms, ms);
}

int page_cache_eligible(struct http_req *rq)
{
	const char *cookie = http_header(rq, "Cookie");

	if (atomic_load(&ttl_ms) == 0)
		return 0;
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return 0;
	/* Only the language preference may be set: anything else (a
	 * session) makes the page personal. */
	if (cookie && (strncmp(cookie, "lang=", 5) || strchr(cookie, ';')))
		return 0;
	return strlen(rq->raw_uri) < KEY_MAX - 16;
}

int page_cache_get(const char *key, struct buf *out)
{
	struct slot *s;
	int hit = 0;

	if (strlen(key) >= KEY_MAX)
		return 0;
	s = slot_for(key);
	pthread_mutex_lock(&s->lock);
	if (s->body && !strcmp(s->key, key) &&
	    s->gen == atomic_load(&generation) && now_ms() < s->expires_ms) {
		buf_add(out, s->body, s->len);
		hit = !buf_error(out);
	}
	pthread_mutex_unlock(&s->lock);
	return hit;
}

void page_cache_put(const char *key, const char *body, size_t len)
{
	struct slot *s;
	char *copy;

	if (len > BODY_MAX || strlen(key) >= KEY_MAX || !atomic_load(&ttl_ms))
		return;
	copy = malloc(len);
	if (!copy)
		return;
	memcpy(copy, body, len);
	s = slot_for(key);
	pthread_mutex_lock(&s->lock);
	free(s->body);
	strcpy(s->key, key);
	s->body = copy;
	s->len = len;
	s->gen = atomic_load(&generation);
	s->expires_ms = now_ms() + atomic_load(&ttl_ms);
	pthread_mutex_unlock(&s->lock);
}

void page_cache_bump(void)
{
	atomic_fetch_add(&generation, 1);
}

void page_cache_clear(void)
{
	int i;
	pthread_once(&once, init_slots);
	for (i = 0; i < SLOTS; i++) {
		pthread_mutex_lock(&slots[i].lock);
		free(slots[i].body);
		slots[i].body = NULL;
		pthread_mutex_unlock(&slots[i].lock);
	}
}
