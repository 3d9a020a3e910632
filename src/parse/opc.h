/*
 * opc.h - the Open Packaging Conventions layer every OOXML format shares
 * (docx, pptx, xlsx): part names, relationships, content
 * types, finding a format's main part, and the core and extended document
 * properties (title, author, pages).
 *
 * Internal to parse/. Part names are strings, never paths: relationship
 * targets are resolved here by folding "." and ".." (which never climb
 * above the package root), and parts are looked up through zipsafe, which
 * compares names case-insensitively. Every name this module produces is
 * shorter than OPC_PART_MAX; a target that would not fit counts as absent.
 * Parts are read through zipsafe (capped inflation) and parsed through xml
 * (no DTDs). Only struct opc_props owns memory; names go into
 * fixed-size buffers the caller provides.
 */
#ifndef WK_OPC_H
#define WK_OPC_H

#include "../base/buf.h"

#include <stdbool.h>
#include <stddef.h>

struct xml_handlers;
struct zipsafe;

/* Size of a part name buffer: longest name resolved, plus its NUL. */
#define OPC_PART_MAX 512
/* Bytes of a property (title, author, pages) kept; more is not a title. */
#define OPC_META_MAX 4096

/* What one format's package looks like, for sniffing and for finding its
 * main part. All pointers are to constants. */
struct opc_format {
	const char *name;		/* "docx": starts the not-found message */
	const char *const *main_types;	/* content types of its main part */
	size_t nmain_types;
	const char *main_part;		/* the usual name: "word/document.xml" */
};

/* ---- names -------------------------------------------------------------- */

/* Whether s ends with suffix (case matters). */
bool opc_ends_with(const char *s, const char *suffix);

/* A small non-negative decimal number as OOXML writes them (attribute
 * values, <Pages>): leading white space is skipped and digits are read up
 * to the first non-digit; long numbers stop growing below 10^9. Returns
 * -1 when v is NULL or has no digits. */
int opc_int_val(const char *v);

/* Resolve a relationship target against the folder base ("" for the
 * package root, else ending in '/') into out (outlen bytes), as a string:
 * a leading '/' starts from the root, '\' separates segments as '/'
 * does, empty and "." segments drop out, and ".." drops the previous
 * segment but never climbs above the root. Returns 0, or -1 when the result is empty or does not
 * fit (out then holds no usable name). */
int opc_resolve(const char *base, const char *target, char *out,
		size_t outlen);

/* ---- parts -------------------------------------------------------------- */

/* Read part and run the handlers h over it, with user for xml_user().
 * Returns 0, WK_ENOTFOUND (no such part; no message), or what
 * zipsafe_read() or xml_parse() fails with, with a message in err. */
int opc_parse_part(struct zipsafe *z, const char *part,
		   const struct xml_handlers *h, void *user, char *err,
		   size_t errlen);

/* ---- relationships ------------------------------------------------------ */

/* The relationships of one part (or of the package) that the parsers use,
 * each resolved to a part name, "" when there is none. Types are matched
 * by their last segment, so transitional and strict both count. Only the
 * first relationship of each type is kept; external ones
 * (TargetMode="External") are ignored, never fetched; one whose target
 * does not resolve is as if absent. */
struct opc_rels {
	char base[OPC_PART_MAX];	/* folder the targets resolve against */
	char office[OPC_PART_MAX];	/* .../officeDocument: the main part */
	char core[OPC_PART_MAX];	/* .../metadata/core-properties */
	char app[OPC_PART_MAX];		/* .../extended-properties */
	char styles[OPC_PART_MAX];	/* .../styles */
};

/* Read the relationships of the part source ("" for the package itself),
 * i.e. the part "<folder>_rels/<name>.rels", into r, which is zeroed
 * first; r->base becomes source's folder. source must be shorter than
 * OPC_PART_MAX, as every name from this module is. A missing .rels part
 * means no relationships: 0 with r empty. Returns 0 or what
 * opc_parse_part() fails with, with a message in err. */
int opc_read_rels(struct zipsafe *z, const char *source, struct opc_rels *r,
		  char *err, size_t errlen);

/* Every relationship of one part, for the formats that follow many of
 * them by Id (pptx slides, xlsx sheets). Each entry owns its strings:
 * the Id as written, the last segment of its Type ("slide", "worksheet",
 * "sharedStrings"; transitional and strict alike) and its target resolved
 * to a part name. External relationships, ones without an Id, Type or
 * Target, Ids longer than 255 bytes and targets that do not resolve are
 * left out; at most OPC_RELS_MAX are kept. */
#define OPC_RELS_MAX 100000

struct opc_rel {
	char *id;
	char *type;
	char *target;
	size_t order;		/* position in the part */
};

struct opc_rel_list {
	char base[OPC_PART_MAX];	/* folder the targets resolve against */
	struct opc_rel *v;		/* sorted by id, then order */
	size_t n, cap;
};

/* Read the relationships of the part source into l (zeroed first) as
 * opc_read_rels() does. On failure l holds nothing. Returns 0 or what
 * opc_parse_part() fails with, with a message in err. */
int opc_read_rel_list(struct zipsafe *z, const char *source,
		      struct opc_rel_list *l, char *err, size_t errlen);
/* Free the entries; l is empty and usable again. */
void opc_rel_list_release(struct opc_rel_list *l);
/* The relationship with Id id (the first one, if several share it), or
 * NULL. Borrowed from l. */
const struct opc_rel *opc_rel_by_id(const struct opc_rel_list *l,
				    const char *id);
/* The first relationship whose Type ends in "/" type, or NULL. */
const struct opc_rel *opc_rel_by_type(const struct opc_rel_list *l,
				      const char *type);

/* ---- content types and the main part ------------------------------------ */

/* Copy the name of format f's main part into main (OPC_PART_MAX bytes).
 * The first candidate that exists in the zip wins: the package
 * relationship pkg->office, then the first [Content_Types].xml Override
 * whose ContentType is one of f->main_types (ASCII case-insensitive) and
 * whose PartName resolves, then f->main_part. Returns 0; WK_EMALFORMED
 * when a candidate names two zip entries, or when none exists ("docx has
 * no main document part (word/document.xml)"); or what reading an
 * existing [Content_Types].xml fails with. The message goes into err. */
int opc_find_main(struct zipsafe *z, const struct opc_rels *pkg,
		  const struct opc_format *f, char *main, char *err,
		  size_t errlen);

/* Whether an opened zip is a package of format f: it has an entry called
 * f->main_part (two of them count too; parsing refuses them later), or
 * its [Content_Types].xml, read up to 1 MiB, contains one of
 * f->main_types anywhere (case matters). Returns 1 or 0; a content types
 * part that cannot be read counts as 0. */
int opc_sniff(struct zipsafe *z, const struct opc_format *f);

/* What a zip that no parser claimed is, from its usual entries: "xlsb"
 * (binary Excel), then by its "mimetype" entry "odm (opendocument
 * master)", "oth (opendocument html)", "odt", "ods", "odp", "epub" or
 * "opendocument"; else "zip". The string is static. (odt and epub have
 * parsers: a file named so here failed their sniffing.) */
const char *opc_zip_kind(struct zipsafe *z);

/* ---- document properties ------------------------------------------------ */

/* dc:title and dc:creator (core properties) and <Pages> (extended
 * properties), each the raw text of the first such element that has any,
 * cut to OPC_META_MAX bytes at a UTF-8 boundary; not cleaned. The struct
 * owns the three buffers; the rest is parsing state. */
struct opc_props {
	struct buf title, author, pages;
	struct buf *cur;	/* buffer the current element fills */
	unsigned depth, cur_depth;
};

/* Start empty properties. */
void opc_props_init(struct opc_props *pr);
/* Free the buffers; pr is empty and usable again. */
void opc_props_release(struct opc_props *pr);

/* Read the core properties, then the extended ones, into pr: the parts
 * the package relationships pkg name, else docProps/core.xml and
 * docProps/app.xml. A missing part is skipped. Returns 0 or what
 * opc_parse_part() fails with on a part that exists, with a message in
 * err; pr may then hold part of the properties. */
int opc_load_props(struct zipsafe *z, const struct opc_rels *pkg,
		   struct opc_props *pr, char *err, size_t errlen);

/* The page count <Pages> gives: > 0, or <= 0 when it is absent, not a
 * number, or above a million (not a real count). */
int opc_props_pages(const struct opc_props *pr);

#endif
