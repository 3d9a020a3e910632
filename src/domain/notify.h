/*
 * notify.h - in-site notifications (站内消息): what a provider or reader
 * is told about events that concern them, and their inbox.
 *
 * notify_post() is called by the domain function that performs the
 * event, inside its write transaction (as audit_log() is), so a
 * notification exists if and only if its event committed. A row holds
 * the event's parameters (kind, object, linked document, title, reason,
 * points), never rendered text: the inbox renders it in the reader's
 * language at view time.
 *
 * Only the recipient sees or marks a notification: every read and write
 * here names the recipient, and another account's id is "not found".
 *
 * Bounded: each post keeps only the recipient's newest NOTIFY_KEEP rows,
 * so the table grows with the number of accounts, not with time.
 */
#ifndef WK_NOTIFY_H
#define WK_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct store_notification;

#define NOTIFY_KEEP 500		/* newest notifications kept per account */
#define NOTIFY_SUBJECT_MAX 200	/* bytes of a subject (a title) */
#define NOTIFY_NOTE_MAX 1000	/* bytes of a note (a reason) */
#define NOTIFY_PAGE_MAX 100	/* rows of one page of a list */

enum notify_kind {
	NK_DOC_APPROVED,	/* provider: an upload was published */
	NK_DOC_REJECTED,	/* provider: an upload was rejected (note) */
	NK_DOC_HIDDEN,		/* provider: hidden after a report (note) */
	NK_DOC_REMOVED,		/* provider: removed after a report (note) */
	NK_DOC_RESTORED,	/* provider: published again (note) */
	NK_REPORT_DISMISSED,	/* reporter: nothing wrong found (note) */
	NK_REPORT_UPHELD,	/* reporter: the document was removed */
	NK_VERIFY_APPROVED,	/* 实名认证 approved */
	NK_VERIFY_REJECTED,	/* 实名认证 rejected (note) */
	NK_COMMENT_REPLY,	/* someone replied to one's comment */
	NK_POINTS_GRANTED,	/* an administrator granted points (amount) */
	NK_VIP_GRANTED,		/* an administrator granted VIP (amount: days) */
	NK_DOC_SOLD,		/* provider: a sale's share (amount) */
	NK_DOC_TAKEN_DOWN,	/* provider: taken down by a moderator
				 * without a report (note) */
	NK_ADMIN_MESSAGE,	/* a message from the site's staff (note) */
	NK_COUNT
};

/* The kind's stored name ("doc_rejected"), or NULL for none. */
const char *notify_kind_name(enum notify_kind k);
/* The kind of a stored name; false for an unknown one. */
bool notify_kind_parse(const char *name, enum notify_kind *out);

/* What happened: the object it happened to (object_type an AUDIT_*
 * name or "verification"), the document a reader follows it to (0:
 * none), and its parameters (NULL or 0 when not used). */
struct notify_event {
	enum notify_kind kind;
	const char *object_type;
	int64_t object_id;
	int64_t doc_id;
	const char *subject;	/* cut to NOTIFY_SUBJECT_MAX bytes */
	const char *note;	/* cut to NOTIFY_NOTE_MAX bytes */
	int64_t amount;
};

/* Tell user_id about e at now. Joins the caller's write transaction (or
 * runs in its own); user_id 0 (an anonymous actor) posts nothing and
 * returns 0. 0, WK_EINVAL for an unknown kind, or WK_EIO. */
int notify_post(struct store *s, int64_t user_id,
		const struct notify_event *e, int64_t now);

/* Page page (1-based) of user_id's notifications, per_page
 * (1..NOTIFY_PAGE_MAX) rows, newest first; unread_only for those not
 * read. *more tells whether another page follows. Rows in a. */
int notify_list(struct store *s, struct arena *a, int64_t user_id,
		bool unread_only, int page, int per_page,
		struct store_notification **out, size_t *n, bool *more);

/* How many of user_id's notifications are unread. */
int notify_unread(struct store *s, int64_t user_id, int64_t *count);

/* Mark notification id of user_id read. WK_ENOTFOUND when user_id has
 * none with that id (another account's included). */
int notify_read(struct store *s, int64_t user_id, int64_t id, int64_t now);

/* Mark every notification of user_id read; *changed how many were
 * unread. */
int notify_read_all(struct store *s, int64_t user_id, int64_t now,
		    int64_t *changed);

#endif
