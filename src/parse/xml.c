/*
 * xml.c - expat set up for untrusted document XML: namespaces on, DTDs
 * refused (or, for XHTML, only a DOCTYPE that declares nothing), no
 * external entities, bounded nesting. See xml.h.
 */
#include "xml.h"
#include "parse_internal.h"
#include "../base/err.h"

#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Fed to expat in pieces so a failure stops the work early. */
#define FEED_CHUNK ((size_t)1 << 20)

struct xml {
	XML_Parser p;
	const struct xml_handlers *h;
	void *user;
	const char *part;	/* already safe for messages */
	const struct xml_opts *o;
	unsigned depth;
	int code;		/* first failure, 0 if none */
	char *err;
	size_t errlen;
};

void *xml_user(struct xml *x)
{
	return x->user;
}

void xml_fail(struct xml *x, int code, const char *fmt, ...)
{
	va_list ap;

	if (x->code)
		return;
	x->code = code;
	if (x->err && x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	struct xml *x = ud;

	if (x->o->allow_doctype && !has_internal_subset)
		return;	/* declares nothing; its DTD is never read */
	if (x->o->allow_doctype)
		xml_fail(x, WK_EMALFORMED, "DTD with an internal subset in %s "
			 "(refused: it could declare entities)", x->part);
	else
		xml_fail(x, WK_EMALFORMED, "DTD in %s (OOXML forbids DTDs)",
			 x->part);
}

/* Only reachable through an internal subset, which is refused above;
 * kept so that no entity can ever be declared. */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
			      const XML_Char *value, int value_len,
			      const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	struct xml *x = ud;
	xml_fail(x, WK_EMALFORMED, "entity declaration in %s (refused)",
		 x->part);
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
			     const XML_Char **attrs)
{
	struct xml *x = ud;

	if (x->code)
		return;
	if (++x->depth > XML_MAX_DEPTH) {
		xml_fail(x, WK_EMALFORMED, "%s nests elements deeper than "
			 "%d levels", x->part, XML_MAX_DEPTH);
		return;
	}
	if (x->h->start)
		x->h->start(x, name, attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xml *x = ud;

	if (x->code)
		return;
	x->depth--;
	if (x->h->end)
		x->h->end(x, name);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml *x = ud;

	if (x->code || len <= 0)
		return;
	if (x->h->text)
		x->h->text(x, s, (size_t)len);
}

int xml_parse(const void *data, size_t len, const char *part,
	      const struct xml_handlers *h, void *user, char *err,
	      size_t errlen)
{
	return xml_parse_opts(data, len, part, NULL, h, user, err, errlen);
}

int xml_parse_opts(const void *data, size_t len, const char *part,
		   const struct xml_opts *o, const struct xml_handlers *h,
		   void *user, char *err, size_t errlen)
{
	static const struct xml_opts defaults = { false };
	struct xml x;
	const char *p = data;
	char nm[80];
	size_t off = 0;

	memset(&x, 0, sizeof(x));
	x.h = h;
	x.o = o ? o : &defaults;
	x.user = user;
	x.part = parse_safe_name(part, nm, sizeof(nm));
	x.err = err;
	x.errlen = errlen;
	x.p = XML_ParserCreateNS(NULL, XML_NS_SEP);
	if (!x.p)
		return parse_fail(err, errlen, WK_ENOMEM, "out of memory");
	XML_SetUserData(x.p, &x);
	XML_SetStartDoctypeDeclHandler(x.p, on_doctype);
	XML_SetEntityDeclHandler(x.p, on_entity);
	XML_SetElementHandler(x.p, on_start, on_end);
	XML_SetCharacterDataHandler(x.p, on_text);
	XML_SetParamEntityParsing(x.p, XML_PARAM_ENTITY_PARSING_NEVER);

	do {
		size_t n = len - off > FEED_CHUNK ? FEED_CHUNK : len - off;
		int final = off + n == len;
		if (XML_Parse(x.p, p + off, (int)n, final) != XML_STATUS_OK) {
			enum XML_Error e = XML_GetErrorCode(x.p);
			if (x.code)
				break;
			if (e == XML_ERROR_NO_MEMORY)
				x.code = parse_fail(err, errlen, WK_ENOMEM,
						    "out of memory");
			else
				x.code = parse_fail(
					err, errlen, WK_EMALFORMED,
					"%s is not well-formed XML: %s at "
					"line %lu", x.part, XML_ErrorString(e),
					(unsigned long)XML_GetCurrentLineNumber(
						x.p));
			break;
		}
		off += n;
	} while (off < len);
	XML_ParserFree(x.p);
	return x.code;
}

bool xml_in_ns(const char *name, const char *ns)
{
	const char *sep = strchr(name, XML_NS_SEP);
	size_t n;

	if (!ns)
		return sep == NULL;
	if (!sep)
		return false;
	n = strlen(ns);
	return (size_t)(sep - name) == n && memcmp(name, ns, n) == 0;
}

const char *xml_local(const char *name)
{
	const char *sep = strchr(name, XML_NS_SEP);
	return sep ? sep + 1 : name;
}

bool xml_is(const char *name, const char *ns, const char *local)
{
	return strcmp(xml_local(name), local) == 0 && xml_in_ns(name, ns);
}

const char *xml_attr(const char **attrs, const char *ns, const char *local)
{
	size_t i;

	for (i = 0; attrs && attrs[i]; i += 2)
		if (xml_is(attrs[i], ns, local))
			return attrs[i + 1];
	return NULL;
}
