/*
 * cache.h - a micro-cache of rendered anonymous pages.
 *
 * A page rendered for a reader without an account session is kept for a
 * short time (default 1 s) and served again to everyone who asks for the
 * same address in the same language: under load the site renders each
 * page about once a second instead of once per request. What a reader
 * sees may therefore lag a write by at most that long (counters and
 * rankings); writes made by this process through the web layer call
 * page_cache_bump(), which drops every entry at once.
 *
 * Bounded: a fixed number of slots, bodies over 256 KiB are not kept.
 */
#ifndef WK_WEB_CACHE_H
#define WK_WEB_CACHE_H

#include <stddef.h>

struct buf;
struct http_req;

/* Set the time to keep a page, in milliseconds (0 turns caching off). */
void page_cache_set_ttl(unsigned ms);
/* Whether rq may be answered from (and stored in) the cache. */
int page_cache_eligible(struct http_req *rq);
/* Copy a fresh cached body for key into out. 1 on a hit, 0 otherwise. */
int page_cache_get(const char *key, struct buf *out);
/* Keep body (len bytes) under key. */
void page_cache_put(const char *key, const char *body, size_t len);
/* Forget every entry (after a write that changes pages). */
void page_cache_bump(void);
/* Free all memory (at shutdown). */
void page_cache_clear(void);

#endif
