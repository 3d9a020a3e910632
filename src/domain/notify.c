/*
 * notify.c - in-site notifications (see notify.h).
 */
#include "notify.h"

#include "../base/err.h"
#include "../store/store.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[NK_COUNT] = {
	[NK_DOC_APPROVED] = "doc_approved",
	[NK_DOC_REJECTED] = "doc_rejected",
	[NK_DOC_HIDDEN] = "doc_hidden",
	[NK_DOC_REMOVED] = "doc_removed",
	[NK_DOC_RESTORED] = "doc_restored",
	[NK_REPORT_DISMISSED] = "report_dismissed",
	[NK_REPORT_UPHELD] = "report_upheld",
	[NK_VERIFY_APPROVED] = "verify_approved",
	[NK_VERIFY_REJECTED] = "verify_rejected",
	[NK_COMMENT_REPLY] = "comment_reply",
	[NK_POINTS_GRANTED] = "points_granted",
	[NK_VIP_GRANTED] = "vip_granted",
	[NK_DOC_SOLD] = "doc_sold",
	[NK_DOC_TAKEN_DOWN] = "doc_taken_down",
	[NK_ADMIN_MESSAGE] = "admin_message",
};

const char *notify_kind_name(enum notify_kind k)
{
	return (unsigned)k < NK_COUNT ? kind_names[k] : NULL;
}

bool notify_kind_parse(const char *name, enum notify_kind *out)
{
	int i;

	for (i = 0; name && i < NK_COUNT; i++)
		if (!strcmp(name, kind_names[i])) {
			*out = (enum notify_kind)i;
			return true;
		}
	return false;
}

/* text, or a copy cut to max bytes on a character boundary (*owned set
 * when the copy must be freed). */
static const char *bounded(const char *text, size_t max, char **owned)
{
	size_t n;

	*owned = NULL;
	if (!text)
		return "";
	n = strlen(text);
	if (n <= max)
		return text;
	n = max;
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	*owned = strndup(text, n);
	return *owned ? *owned : "";
}

int notify_post(struct store *s, int64_t user_id,
		const struct notify_event *e, int64_t now)
{
	struct store_notification n = { 0 };
	char *o1, *o2;
	int rc;

	if (user_id <= 0)
		return 0;
	if (!(n.kind = notify_kind_name(e->kind)))
		return WK_EINVAL;
	n.user_id = user_id;
	n.object_type = e->object_type ? e->object_type : "";
	n.object_id = e->object_id;
	n.doc_id = e->doc_id;
	n.subject = bounded(e->subject, NOTIFY_SUBJECT_MAX, &o1);
	n.note = bounded(e->note, NOTIFY_NOTE_MAX, &o2);
	n.amount = e->amount;
	n.created_at = now;
	rc = store_notify_add(s, &n, NOTIFY_KEEP);
	free(o1);
	free(o2);
	return rc;
}

int notify_list(struct store *s, struct arena *a, int64_t user_id,
		bool unread_only, int page, int per_page,
		struct store_notification **out, size_t *n, bool *more)
{
	int rc;

	*out = NULL;
	*n = 0;
	*more = false;
	if (user_id <= 0 || page < 1 || per_page < 1 ||
	    per_page > NOTIFY_PAGE_MAX || page > NOTIFY_KEEP)
		return WK_EINVAL;
	/* One row past the page says whether another follows. */
	rc = store_notify_list(s, a, user_id, unread_only, per_page + 1,
			       (page - 1) * per_page, out, n);
	if (rc == 0 && *n > (size_t)per_page) {
		*more = true;
		*n = (size_t)per_page;
	}
	return rc;
}

int notify_unread(struct store *s, int64_t user_id, int64_t *count)
{
	*count = 0;
	if (user_id <= 0)
		return 0;
	return store_notify_unread(s, user_id, count);
}

int notify_read(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	if (user_id <= 0 || id <= 0)
		return WK_ENOTFOUND;
	return store_notify_read(s, user_id, id, now);
}

int notify_read_all(struct store *s, int64_t user_id, int64_t now,
		    int64_t *changed)
{
	*changed = 0;
	if (user_id <= 0)
		return WK_EINVAL;
	return store_notify_read_all(s, user_id, now, changed);
}
