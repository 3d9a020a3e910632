/*
 * addr.c - client addresses: trusted proxies and X-Forwarded-For, and
 * address ranges (CIDR) for who may read /metrics.
 */
#include "http.h"
#include "http_internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* addr (n bytes of text) in normal form in out; false when it is no
 * address. */
static bool normal_addr(const char *addr, size_t n, char *out, size_t outlen)
{
	char tmp[64];
	unsigned char bin[16];

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, addr, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)outlen) != NULL;
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outlen) != NULL;
	return false;
}

bool http_addr_trusted(const struct http_config *cfg, const char *ip)
{
	size_t i;

	for (i = 0; i < cfg->ntrusted; i++)
		if (!strcmp(cfg->trusted[i], ip))
			return true;
	return false;
}

/* The client behind trusted proxies: X-Forwarded-For read from the right
 * (the nearest hop), skipping trusted proxies; the first other address
 * is the client's. An unparsable entry stops the walk: it and what is
 * left of it were written by someone not trusted. */
void http_forwarded_for(const struct http_config *cfg, const char *xff,
			char *ip, size_t iplen)
{
	const char *end, *start;
	char addr[64];

	if (!xff || strlen(xff) > 4096)
		return;
	end = xff + strlen(xff);
	while (end > xff) {
		size_t n;

		start = end;
		while (start > xff && start[-1] != ',')
			start--;
		n = (size_t)(end - start);
		while (n && (*start == ' ' || *start == '\t'))
			start++, n--;
		while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		if (!normal_addr(start, n, addr, sizeof(addr)))
			return;
		snprintf(ip, iplen, "%s", addr);
		if (!http_addr_trusted(cfg, addr))
			return;
		/* step over the comma to the entry before */
		while (end > xff && end[-1] != ',')
			end--;
		if (end == xff)
			return;
		end--;
	}
}

int http_trust_proxy(struct http_config *cfg, const char *addr,
		     char out[64])
{
	if (cfg->ntrusted == HTTP_MAX_TRUSTED ||
	    !normal_addr(addr, strlen(addr), out, 64))
		return -1;
	cfg->trusted[cfg->ntrusted++] = out;
	cfg->per_ip_limit = 0;	/* every client arrives from the proxy */
	return 0;
}

/* ---- ranges ------------------------------------------------------------ */

int http_cidr_parse(const char *text, struct http_cidr *out)
{
	char addr[64];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	unsigned max;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= sizeof(addr))
		return -1;
	memcpy(addr, text, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else {
		return -1;
	}
	out->bits = max;
	if (slash) {
		char *end;
		unsigned long v;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		v = strtoul(slash + 1, &end, 10);
		if (*end || v > max)
			return -1;
		out->bits = (unsigned)v;
	}
	return 0;
}

bool http_cidr_match(const struct http_cidr *c, const char *ip)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0,
						  0, 0, 0xff, 0xff };
	unsigned char a[16];
	const unsigned char *p = a;
	unsigned full, rest;

	if (inet_pton(AF_INET, ip, a) == 1) {
		if (c->family != AF_INET)
			return false;
	} else if (inet_pton(AF_INET6, ip, a) == 1) {
		if (c->family == AF_INET) {
			if (memcmp(a, mapped, sizeof(mapped)))
				return false;
			p = a + 12;
		}
	} else {
		return false;
	}
	full = c->bits / 8;
	rest = c->bits % 8;
	if (memcmp(p, c->addr, full))
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((p[full] & mask) != (c->addr[full] & mask))
			return false;
	}
	return true;
}

bool http_is_loopback(const char *ip)
{
	static struct http_cidr v4 = { AF_INET, { 127 }, 8 };
	static struct http_cidr v6 = {
		AF_INET6, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
		128
	};

	return http_cidr_match(&v4, ip) || http_cidr_match(&v6, ip);
}
