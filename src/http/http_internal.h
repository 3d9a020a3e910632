/*
 * http_internal.h - what the files of src/http share.
 */
#ifndef WK_HTTP_INTERNAL_H
#define WK_HTTP_INTERNAL_H

#include "http.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether ip (normal form) is one of cfg's trusted proxies. */
bool http_addr_trusted(const struct http_config *cfg, const char *ip);

/* The client behind trusted proxies from xff (an X-Forwarded-For value,
 * NULL for none) into ip, which holds the peer's address and is changed
 * only as far as the walk from the right gets. */
void http_forwarded_for(const struct http_config *cfg, const char *xff,
			char *ip, size_t iplen);

#endif
