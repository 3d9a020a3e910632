/*
 * audit.c - the append-only audit log (see audit.h).
 */
#include "audit.h"

#include "../base/err.h"
#include "../base/utf8.h"
#include "../store/store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_TEXT_MAX 2000

/* text, or a copy cut to AUDIT_TEXT_MAX bytes on a character boundary
 * (*owned set when the copy must be freed). */
static const char *bounded(const char *text, char **owned)
{
	size_t n;

	*owned = NULL;
	if (!text)
		return "";
	n = strlen(text);
	if (n <= AUDIT_TEXT_MAX)
		return text;
	n = AUDIT_TEXT_MAX;
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	*owned = strndup(text, n);
	return *owned ? *owned : "";
}

int audit_log(struct store *s, int64_t actor_id, const char *action,
	      const char *object_type, int64_t object_id, const char *before,
	      const char *after, const char *note)
{
	struct store_audit e = { 0 };
	char *o1, *o2, *o3;
	int rc;

	if (!action || !*action || !object_type || !*object_type)
		return WK_EINVAL;
	e.at = (int64_t)time(NULL);
	e.actor_id = actor_id;
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id;
	e.before = bounded(before, &o1);
	e.after = bounded(after, &o2);
	e.note = bounded(note, &o3);
	rc = store_audit_add(s, &e);
	free(o1);
	free(o2);
	free(o3);
	return rc;
}

int audit_list(struct store *s, struct arena *a, const char *object_type,
	       int64_t object_id, int limit, struct store_audit **out,
	       size_t *n)
{
	if (limit < 1 || limit > 1000)
		return WK_EINVAL;
	return store_audit_list(s, a, object_type, object_id, limit, out, n);
}
