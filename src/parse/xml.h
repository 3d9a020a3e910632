/*
 * xml.h - a small, locked-down wrapper around expat for the XML inside
 * documents (OOXML and OpenDocument parts, EPUB packages and XHTML).
 *
 * Internal to parse/. Parsing is namespace-aware: element and attribute
 * names reach the callbacks as "<namespace URI>\x01<local name>" (or just
 * the local name when unqualified), so code matches on the URI and never
 * on a document's choice of prefix. By default any DOCTYPE is an error
 * (OOXML and OpenDocument have no DTDs), which also means no entity can
 * ever be declared. XHTML may carry a DOCTYPE; xml_parse_opts() can let
 * one through as long as it has no internal subset, so it still declares
 * nothing, and its external DTD is never read. No external entity handler
 * is ever installed and parameter entities are never parsed, so nothing
 * outside the bytes given is loaded. Nesting is capped.
 */
#ifndef WK_XML_H
#define WK_XML_H

#include <stdbool.h>
#include <stddef.h>

#define XML_NS_SEP '\x01'
/* Deepest element nesting accepted. */
#define XML_MAX_DEPTH 1024

struct xml;

struct xml_handlers {
	void (*start)(struct xml *x, const char *name, const char **attrs);
	void (*end)(struct xml *x, const char *name);
	void (*text)(struct xml *x, const char *s, size_t n);
};

/* Parse the len bytes at data as the part called part (used in
 * messages). Callbacks get user back through xml_user(). Returns 0,
 * WK_EMALFORMED (not well-formed, a DTD, too deep), WK_ENOMEM, or the
 * code a callback passed to xml_fail(); the message goes into err. */
int xml_parse(const void *data, size_t len, const char *part,
	      const struct xml_handlers *h, void *user, char *err,
	      size_t errlen);

/* What a format allows beyond xml_parse()'s defaults. */
struct xml_opts {
	/* Accept a DOCTYPE without an internal subset (XHTML 1.1's public
	 * one, HTML5's "<!DOCTYPE html>"). Its DTD is not read, so it
	 * declares nothing; a DOCTYPE with an internal subset, and any
	 * entity declaration, is still refused. */
	bool allow_doctype;
};

/* xml_parse() with options o (NULL: the defaults). */
int xml_parse_opts(const void *data, size_t len, const char *part,
		   const struct xml_opts *o, const struct xml_handlers *h,
		   void *user, char *err, size_t errlen);

void *xml_user(struct xml *x);
/* Stop parsing; xml_parse() returns code with this message. Only the
 * first failure is kept. */
void xml_fail(struct xml *x, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether an expat name is local in namespace ns (NULL: unqualified). */
bool xml_is(const char *name, const char *ns, const char *local);
/* The local part of an expat name. */
const char *xml_local(const char *name);
/* Whether the name's namespace URI is ns. */
bool xml_in_ns(const char *name, const char *ns);
/* Value of the attribute ns:local (ns NULL: unqualified), or NULL. */
const char *xml_attr(const char **attrs, const char *ns, const char *local);

#endif
