/* json.c - JSON string escaping that is also safe inside HTML. */
#include "json.h"
#include "buf.h"
#include "utf8.h"
#include "err.h"

#include <string.h>

void json_str(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	buf_addc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;

		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(b, "\\\""); break;
			case '\\': buf_adds(b, "\\\\"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '<': buf_adds(b, "\\u003c"); break;
			case '>': buf_adds(b, "\\u003e"); break;
			case '&': buf_adds(b, "\\u0026"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					buf_addf(b, "\\u%04x", c);
				else
					buf_addc(b, (char)c);
			}
			i++;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
		if (!l) {
			buf_adds(b, "\\ufffd");
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			buf_addf(b, "\\u%04x", (unsigned)cp);
			i += l;
		} else {
			buf_add(b, s + i, l);
			i += l;
		}
	}
	buf_addc(b, '"');
}

void json_cstr(struct buf *b, const char *s)
{
	if (!s)
		buf_adds(b, "null");
	else
		json_str(b, s, strlen(s));
}

void json_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_addc(b, ',');
	json_str(b, key, strlen(key));
	buf_addc(b, ':');
}

/* ---- reading -------------------------------------------------------------*/

struct jcur {
	const char *p, *end;
	int depth;
};

static void jws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hex4(const char *p, uint32_t *v)
{
	int i;
	*v = 0;
	for (i = 0; i < 4; i++) {
		char ch = p[i];
		*v <<= 4;
		if (ch >= '0' && ch <= '9')
			*v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			*v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			*v |= (uint32_t)(ch - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A string at c->p (after its opening quote is checked here), decoded
 * into out when out is not NULL. 0 or -1. */
static int jstring(struct jcur *c, struct buf *out)
{
	if (c->p >= c->end || *c->p != '"')
		return -1;
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p;
		if (ch == '"') {
			c->p++;
			return 0;
		}
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			uint32_t cp;
			char enc[4];
			size_t n;
			if (c->end - c->p < 2)
				return -1;
			c->p++;
			switch (*c->p) {
			case '"': case '\\': case '/':
				if (out)
					buf_addc(out, *c->p);
				c->p++;
				continue;
			case 'b': if (out) buf_addc(out, '\b'); c->p++; continue;
			case 'f': if (out) buf_addc(out, '\f'); c->p++; continue;
			case 'n': if (out) buf_addc(out, '\n'); c->p++; continue;
			case 'r': if (out) buf_addc(out, '\r'); c->p++; continue;
			case 't': if (out) buf_addc(out, '\t'); c->p++; continue;
			case 'u': break;
			default: return -1;
			}
			if (c->end - c->p < 5 || hex4(c->p + 1, &cp))
				return -1;
			c->p += 5;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (c->end - c->p < 6 || c->p[0] != '\\' ||
				    c->p[1] != 'u' || hex4(c->p + 2, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
				c->p += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return -1;
			}
			n = utf8_encode(cp, enc);
			if (!n)
				return -1;
			if (out)
				buf_add(out, enc, n);
			continue;
		}
		{
			uint32_t cp;
			size_t n = utf8_decode(c->p, (size_t)(c->end - c->p),
					       &cp);
			if (!n)
				return -1;
			if (out)
				buf_add(out, c->p, n);
			c->p += n;
		}
	}
	return -1;
}

static int jvalue(struct jcur *c);

static int jliteral(struct jcur *c, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return -1;
	c->p += n;
	return 0;
}

static int jnumber(struct jcur *c)
{
	const char *start = c->p;
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return -1;
	while (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') ||
				 *c->p == '.' || *c->p == 'e' ||
				 *c->p == 'E' || *c->p == '+' || *c->p == '-'))
		c->p++;
	return c->p > start ? 0 : -1;
}

static int jcontainer(struct jcur *c, char open, char close)
{
	if (++c->depth > 32)
		return -1;
	c->p++;
	jws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return 0;
	}
	for (;;) {
		if (open == '{') {
			jws(c);
			if (jstring(c, NULL))
				return -1;
			jws(c);
			if (c->p >= c->end || *c->p != ':')
				return -1;
			c->p++;
		}
		if (jvalue(c))
			return -1;
		jws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			c->depth--;
			return 0;
		}
		return -1;
	}
}

static int jvalue(struct jcur *c)
{
	jws(c);
	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '"': return jstring(c, NULL);
	case '{': return jcontainer(c, '{', '}');
	case '[': return jcontainer(c, '[', ']');
	case 't': return jliteral(c, "true");
	case 'f': return jliteral(c, "false");
	case 'n': return jliteral(c, "null");
	default: return jnumber(c);
	}
}

/* The member key of the object: a string decoded into out, or (number)
 * the raw text of a number. */
static int object_member(const char *json, size_t len, const char *key,
			 struct buf *out, int number)
{
	struct jcur c = { json, json + len, 1 };
	struct buf k;
	int found = 0;

	jws(&c);
	if (c.p >= c.end || *c.p != '{')
		return WK_EMALFORMED;
	c.p++;
	jws(&c);
	if (c.p < c.end && *c.p == '}') {
		c.p++;
		goto tail;
	}
	buf_init(&k, 4096);
	for (;;) {
		jws(&c);
		buf_reset(&k);
		if (jstring(&c, &k) || buf_error(&k))
			goto bad;
		jws(&c);
		if (c.p >= c.end || *c.p != ':')
			goto bad;
		c.p++;
		jws(&c);
		if (!found && k.len == strlen(key) && !memcmp(k.data, key, k.len) &&
		    c.p < c.end && !number && *c.p == '"') {
			buf_reset(out);
			if (jstring(&c, out))
				goto bad;
			found = 1;
		} else if (!found && number && k.len == strlen(key) &&
			   !memcmp(k.data, key, k.len) && c.p < c.end &&
			   (*c.p == '-' || (*c.p >= '0' && *c.p <= '9'))) {
			const char *start = c.p;
			if (jvalue(&c))
				goto bad;
			buf_reset(out);
			buf_add(out, start, (size_t)(c.p - start));
			found = 1;
		} else if (jvalue(&c)) {
			goto bad;
		}
		jws(&c);
		if (c.p < c.end && *c.p == ',') {
			c.p++;
			continue;
		}
		if (c.p < c.end && *c.p == '}') {
			c.p++;
			break;
		}
		goto bad;
	}
	buf_release(&k);
tail:
	jws(&c);
	if (c.p != c.end)
		return WK_EMALFORMED;
	if (buf_error(out))
		return buf_error(out);
	return found ? 0 : WK_ENOTFOUND;
bad:
	buf_release(&k);
	return WK_EMALFORMED;
}

int json_object_string(const char *json, size_t len, const char *key,
		       struct buf *out)
{
	return object_member(json, len, key, out, 0);
}

int json_object_int(const char *json, size_t len, const char *key,
		    int64_t *out)
{
	struct buf b;
	const char *p;
	int64_t v = 0;
	int rc, neg;

	buf_init(&b, 64);
	rc = object_member(json, len, key, &b, 1);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	p = buf_str(&b);
	neg = *p == '-';
	p += neg;
	if (!*p || (p[0] == '0' && p[1]))
		rc = WK_ENOTFOUND;
	for (; !rc && *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10) {
			rc = WK_ENOTFOUND;	/* fraction, exponent, too big */
			break;
		}
		v = v * 10 + (*p - '0');
	}
	buf_release(&b);
	if (!rc)
		*out = neg ? -v : v;
	return rc;
}
