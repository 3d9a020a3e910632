/*
 * audit.h - the audit log: an append-only record of what moderators and
 * administrators did.
 *
 * Every moderator action calls audit_log() inside the transaction that
 * makes the change, so the change and its record commit together or not
 * at all. The table refuses UPDATE and DELETE (0015_reports.sql). States
 * are short "key=value" texts ("status=published"), not parsed here.
 */
#ifndef WK_AUDIT_H
#define WK_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct store_audit;

/* Object types of the log. */
#define AUDIT_DOC "document"
#define AUDIT_REPORT "report"
#define AUDIT_COMMENT "comment"
#define AUDIT_USER "user"
#define AUDIT_CODE_BATCH "code_batch"
#define AUDIT_VIP_PLAN "vip_plan"

/* Append one entry: actor_id (0: the system) did action ("report.hide")
 * to object_type object_id, which went from before to after (either may
 * be NULL); note is the reason given. Texts are cut to 2000 bytes on a
 * character boundary. Joins the caller's write transaction (or runs in
 * its own). 0, WK_EINVAL for an empty action or type, or WK_EIO. */
int audit_log(struct store *s, int64_t actor_id, const char *action,
	      const char *object_type, int64_t object_id, const char *before,
	      const char *after, const char *note);

/* Entries newest first, at most limit (1..1000); object_type NULL for
 * every type, object_id 0 for every object of the type. Rows in a. */
int audit_list(struct store *s, struct arena *a, const char *object_type,
	       int64_t object_id, int limit, struct store_audit **out,
	       size_t *n);

#endif
