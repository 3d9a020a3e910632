/*
 * startcfg.c - the start-up settings table, the parser of start-up files
 * and the validation the command-line options share with it.
 *
 * The file format is deliberately small: one `name = value` a line, no
 * quoting, no sections, no includes. Anything the parser does not
 * understand stops the server from starting, with the file, line and
 * setting named; a mistake in a file that configures a network service
 * should never be guessed around.
 */
#include "startcfg.h"

#include "../base/utf8.h"
#include "../http/http.h"
#include "../web/web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct startcfg_def startcfg_table[SCF_COUNT] = {
	[SCF_LISTEN] = { "listen", SCT_LISTEN, 0, 0, "127.0.0.1:8080",
		"HOST:PORT", 1, NULL,
		"IP address and port to serve on ([::1]:8080 for IPv6, "
		"0.0.0.0:8080 for every address; port 0: any free one)" },
	[SCF_DATA] = { "data", SCT_PATH, 1, 4000, "./data", "DIR", 1, NULL,
		"data folder: the database (wenku.db) and the original files "
		"(blobs/); made on first start, one server per folder" },
	[SCF_THEME] = { "theme", SCT_PATH, 0, 4000, "", "DIR", 1,
		"/srv/wenku-theme",
		"folder whose templates/, static/ and i18n/ files replace the "
		"built-in ones of the same name" },
	[SCF_THREADS] = { "threads", SCT_INT, 0, 256, "0", "N", 1, NULL,
		"HTTP worker threads (0: one per core)" },
	[SCF_WORKERS] = { "workers", SCT_INT, 0, 64, "0", "N", 1, NULL,
		"conversion jobs run at once, each in a sandboxed process "
		"(0: one per core)" },
	[SCF_MAX_BODY] = { "max_body", SCT_INT, 1024, 200 << 20, "1048576",
		"BYTES", 1, NULL,
		"request body cap in bytes, 413 beyond it (uploads have their "
		"own cap, the upload_max_mb site setting)" },
	[SCF_PAGE_CACHE_MS] = { "page_cache_ms", SCT_INT, 0, 60000, "1000",
		"MS", 1, NULL,
		"keep rendered pages for visitors who are not signed in this "
		"many milliseconds (0: no page cache)" },
	[SCF_TRUSTED_PROXY] = { "trusted_proxy", SCT_IP, 0, 0, "", "IP",
		HTTP_MAX_TRUSTED, "127.0.0.1",
		"a reverse proxy whose X-Forwarded-For (read from the right, "
		"trusted hops skipped) gives the client address and whose "
		"X-Forwarded-Proto: https marks requests secure; the "
		"per-address connection limit is then off" },
	[SCF_METRICS_FROM] = { "metrics_from", SCT_CIDR, 0, 0, "", "CIDR",
		WEB_METRICS_FROM_MAX, "10.0.0.0/8",
		"also let this address or range read /metrics, besides direct "
		"connections from loopback (see docs/ops.md)" },
	[SCF_MAX_CONNECTIONS] = { "max_connections", SCT_INT, 16, 100000,
		"1000", "N", 1, NULL,
		"connections open at once, all clients together; keep it "
		"below the open-file limit (ulimit -n, LimitNOFILE)" },
	[SCF_MAX_CONNECTIONS_PER_ADDRESS] = { "max_connections_per_address",
		SCT_INT, 1, 10000, "64", "N", 1, NULL,
		"connections open at once from one client address (not "
		"applied with a trusted_proxy, where every client arrives "
		"from the proxy)" },
	[SCF_IDLE_TIMEOUT] = { "idle_timeout", SCT_INT, 5, 300, "15",
		"SECONDS", 1, NULL,
		"close a connection idle this many seconds (10 to 30 keeps "
		"slow clients from holding connections)" },
	[SCF_CONNECTION_MEMORY] = { "connection_memory", SCT_INT, 16384,
		1048576, "65536", "BYTES", 1, NULL,
		"memory for one connection's request line and headers; must "
		"exceed max_uri plus max_headers" },
	[SCF_MAX_URI] = { "max_uri", SCT_INT, 1024, 65536, "8192", "BYTES",
		1, NULL, "longest request target, 414 beyond it" },
	[SCF_MAX_HEADERS] = { "max_headers", SCT_INT, 4096, 262144, "32768",
		"BYTES", 1, NULL, "largest header block, 431 beyond it" },
	[SCF_DOWNLOAD_MEMORY] = { "download_memory", SCT_INT, 1, 65536,
		"1024", "MIB", 1, NULL,
		"memory all downloads being stamped and sent may hold at once "
		"(each counts twice its file's size); a download past it is "
		"answered 503 with Retry-After" },
};

void startcfg_init(struct startcfg *c)
{
	memset(c, 0, sizeof(*c));
}

static void item_clear(struct startcfg *c, unsigned id)
{
	for (unsigned i = 0; i < c->item[id].n; i++)
		free(c->item[id].v[i]);
	memset(&c->item[id], 0, sizeof(c->item[id]));
}

void startcfg_release(struct startcfg *c)
{
	for (unsigned id = 0; id < SCF_COUNT; id++)
		item_clear(c, id);
}

const struct startcfg_def *startcfg_find(const char *name)
{
	for (size_t i = 0; i < SCF_COUNT; i++)
		if (!strcmp(startcfg_table[i].name, name))
			return &startcfg_table[i];
	return NULL;
}

int startcfg_parse_listen(const char *s, char *host, size_t hostlen,
			  unsigned short *port)
{
	const char *colon, *h = s;
	unsigned char addr[16];
	size_t hl;
	char *end;
	long p;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return -1;
		h = s + 1;
		hl = (size_t)(rb - h);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= hostlen || hl >= 64)
		return -1;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || colon[1] == '-' || colon[1] == '+' ||
	    errno || p < 0 || p > 65535)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	/* http_start takes addresses only: no names to resolve */
	if (inet_pton(AF_INET, host, addr) != 1 &&
	    inet_pton(AF_INET6, host, addr) != 1)
		return -1;
	*port = (unsigned short)p;
	return 0;
}

int startcfg_validate(const struct startcfg_def *d, const char *value,
		      char *err, size_t errlen)
{
	size_t n = strlen(value);

	switch (d->type) {
	case SCT_INT: {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(value, &end, 10);
		/* digits only: no sign, blank, hex or "1e6" */
		if (!n || strspn(value, "0123456789") != n || *end || errno ||
		    v < d->min || v > d->max) {
			snprintf(err, errlen,
				 "wants a whole number from %lld to %lld",
				 (long long)d->min, (long long)d->max);
			return -1;
		}
		return 0;
	}
	case SCT_PATH:
		if ((int64_t)n < d->min || (int64_t)n > d->max ||
		    !utf8_valid(value, n)) {
			snprintf(err, errlen, "wants a folder name (%lld to "
				 "%lld bytes of UTF-8)", (long long)d->min,
				 (long long)d->max);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
				snprintf(err, errlen, "wants a folder name "
					 "without control characters");
				return -1;
			}
		return 0;
	case SCT_LISTEN: {
		char host[256];
		unsigned short port;

		if (startcfg_parse_listen(value, host, sizeof(host), &port)) {
			snprintf(err, errlen, "wants an IP address and a "
				 "port, like 127.0.0.1:8080 or [::1]:8080, not "
				 "'%.80s'", value);
			return -1;
		}
		return 0;
	}
	case SCT_IP: {
		struct http_config scratch;
		char out[64];

		http_config_defaults(&scratch);
		if (http_trust_proxy(&scratch, value, out)) {
			snprintf(err, errlen, "wants an IP address, not "
				 "'%.80s'", value);
			return -1;
		}
		return 0;
	}
	case SCT_CIDR: {
		struct http_cidr range;

		if (http_cidr_parse(value, &range)) {
			snprintf(err, errlen, "wants an address or range like "
				 "10.0.0.0/8, not '%.80s'", value);
			return -1;
		}
		return 0;
	}
	}
	snprintf(err, errlen, "has an unknown type");
	return -1;
}

int startcfg_add(struct startcfg *c, enum startcfg_id id, const char *value,
		 unsigned line, char *err, size_t errlen)
{
	const struct startcfg_def *d = &startcfg_table[id];
	char *copy;

	if (startcfg_validate(d, value, err, errlen))
		return -1;
	if (d->repeat > 1 && c->item[id].n == d->repeat) {
		snprintf(err, errlen, "is given more than %u times", d->repeat);
		return -1;
	}
	if (d->repeat == 1 && c->item[id].n) {
		if (line) {
			snprintf(err, errlen, "is set twice (first on line %u)",
				 c->item[id].line);
			return -1;
		}
		item_clear(c, id);	/* options: the last one wins */
	}
	copy = strdup(value);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!c->item[id].n)
		c->item[id].line = line;
	c->item[id].v[c->item[id].n++] = copy;
	return 0;
}

/* Trim blanks (space, tab) from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* One line (n bytes, no newline) into c: 0, or -1 with "NAME: why" or
 * "why" in err. */
static int parse_line(struct startcfg *c, const char *line, size_t n,
		      unsigned lineno, char *err, size_t errlen)
{
	const char *eq, *key, *val;
	size_t kn, vn;
	const struct startcfg_def *d;
	char name[64], value[STARTCFG_LINE_MAX + 1], why[200];

	trim(&line, &n);
	if (!n || line[0] == '#')
		return 0;
	eq = memchr(line, '=', n);
	if (!eq) {
		snprintf(err, errlen, "expected NAME = VALUE");
		return -1;
	}
	key = line;
	kn = (size_t)(eq - line);
	trim(&key, &kn);
	val = eq + 1;
	vn = (size_t)(line + n - val);
	/* a comment after the value, set off by a blank */
	for (size_t i = 1; i < vn; i++)
		if (val[i] == '#' && (val[i - 1] == ' ' || val[i - 1] == '\t')) {
			vn = i;
			break;
		}
	trim(&val, &vn);
	if (!kn) {
		snprintf(err, errlen, "expected NAME = VALUE");
		return -1;
	}
	if (kn >= sizeof(name)) {
		snprintf(err, errlen, "%.40s...: no such setting", key);
		return -1;
	}
	memcpy(name, key, kn);
	name[kn] = '\0';
	memcpy(value, val, vn);
	value[vn] = '\0';
	d = startcfg_find(name);
	if (!d) {
		char alt[64];
		snprintf(alt, sizeof(alt), "%s", name);
		for (char *p = alt; *p; p++)
			if (*p == '-')
				*p = '_';
		if (strcmp(alt, name) && startcfg_find(alt))
			snprintf(err, errlen, "%s: no such setting (did you "
				 "mean %s?)", name, alt);
		else
			snprintf(err, errlen, "%s: no such setting (see wenku "
				 "config --help)", name);
		return -1;
	}
	if (startcfg_add(c, (enum startcfg_id)(d - startcfg_table), value,
			 lineno, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", name, why);
		return -1;
	}
	return 0;
}

int startcfg_parse(struct startcfg *c, const char *file, const char *text,
		   size_t len, char *err, size_t errlen)
{
	struct startcfg tmp;
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	char why[400];

	if (len > STARTCFG_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", file,
			 STARTCFG_FILE_MAX);
		return -1;
	}
	startcfg_init(&tmp);
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;	/* a byte-order mark some editors write */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n > STARTCFG_LINE_MAX) {
			snprintf(why, sizeof(why), "line longer than %d bytes",
				 STARTCFG_LINE_MAX);
			goto fail;
		}
		if (memchr(p, '\0', n)) {
			snprintf(why, sizeof(why), "a NUL byte");
			goto fail;
		}
		if (!utf8_valid(p, n)) {
			snprintf(why, sizeof(why), "not UTF-8 text");
			goto fail;
		}
		if (parse_line(&tmp, p, n, lineno, why, sizeof(why)))
			goto fail;
		p = nl ? nl + 1 : end;
	}
	startcfg_override(c, &tmp);
	return 0;
fail:
	snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
	startcfg_release(&tmp);
	return -1;
}

int startcfg_read(struct startcfg *c, const char *path, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 strerror(errno));
		return -1;
	}
	text = malloc(STARTCFG_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	/* one byte past the limit tells an over-long file */
	n = fread(text, 1, STARTCFG_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 strerror(errno));
		rc = -1;
	} else {
		rc = startcfg_parse(c, path, text, n, err, errlen);
	}
	free(text);
	fclose(f);
	return rc;
}

void startcfg_override(struct startcfg *c, struct startcfg *over)
{
	for (unsigned id = 0; id < SCF_COUNT; id++) {
		if (!over->item[id].n)
			continue;
		item_clear(c, id);
		c->item[id] = over->item[id];
		memset(&over->item[id], 0, sizeof(over->item[id]));
	}
}

int startcfg_check(const struct startcfg *c, char *err, size_t errlen)
{
	long long uri = startcfg_int(c, SCF_MAX_URI);
	long long hdr = startcfg_int(c, SCF_MAX_HEADERS);
	long long mem = startcfg_int(c, SCF_CONNECTION_MEMORY);

	/* Past connection_memory libmicrohttpd answers on its own, before
	 * wenku's 414 and 431 with the site's error page. */
	if (uri + hdr >= mem) {
		snprintf(err, errlen, "max_uri (%lld) plus max_headers (%lld) "
			 "must be less than connection_memory (%lld)", uri,
			 hdr, mem);
		return -1;
	}
	return 0;
}

const char *startcfg_str(const struct startcfg *c, enum startcfg_id id)
{
	return c->item[id].n ? c->item[id].v[c->item[id].n - 1]
			     : startcfg_table[id].def;
}

long long startcfg_int(const struct startcfg *c, enum startcfg_id id)
{
	return strtoll(startcfg_str(c, id), NULL, 10);
}

unsigned startcfg_count(const struct startcfg *c, enum startcfg_id id)
{
	return c->item[id].n;
}

const char *startcfg_nth(const struct startcfg *c, enum startcfg_id id,
			 unsigned i)
{
	return i < c->item[id].n ? c->item[id].v[i] : NULL;
}

void startcfg_describe(const struct startcfg_def *d, char *out, size_t n)
{
	char rep[60] = "";

	if (d->repeat > 1)
		snprintf(rep, sizeof(rep), "; repeatable, up to %u", d->repeat);
	switch (d->type) {
	case SCT_INT:
		snprintf(out, n, "whole number %lld to %lld", (long long)d->min,
			 (long long)d->max);
		break;
	case SCT_PATH:
		snprintf(out, n, "folder%s", d->min ? "" : " or nothing");
		break;
	case SCT_LISTEN:
		snprintf(out, n, "IP address:port");
		break;
	case SCT_IP:
		snprintf(out, n, "IP address%s", rep);
		break;
	case SCT_CIDR:
		snprintf(out, n, "address or range%s", rep);
		break;
	}
}

const char *startcfg_option(const struct startcfg_def *d, char *out,
			    size_t n)
{
	snprintf(out, n, "%s", d->name);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = '-';
	return out;
}
