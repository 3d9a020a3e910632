/*
 * reports.c - reports, takedowns, counter-notices and strikes (see
 * reports.h).
 */
#include "reports.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../store/store.h"
#include "audit.h"
#include "ledger.h"
#include "notify.h"

#include <string.h>
#include <time.h>

static const char *const reasons[] = { "copyright", "secret", "illegal",
				       "porn", "spam", "other" };

bool report_reason_valid(const char *reason)
{
	size_t i;

	for (i = 0; reason && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(reason, reasons[i]))
			return true;
	return false;
}

/* Whether t (NULL: empty) is valid UTF-8 text without control
 * characters other than tab and line breaks, of min..max characters,
 * not counting white space at its ends. */
static bool text_ok(const char *t, size_t min, size_t max)
{
	size_t n, i;

	if (!t)
		t = "";
	n = strlen(t);
	if (!utf8_valid(t, n))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7f)
			return false;
	}
	while (n && strchr(" \t\r\n", t[n - 1]))
		n--;
	while (n && strchr(" \t\r\n", *t)) {
		t++;
		n--;
	}
	i = utf8_count(t, n);
	return i >= min && i <= max;
}

int report_file(struct store *s, int64_t doc_id, int64_t reporter_id,
		const char *ip, const struct report_form *f, int64_t *id,
		enum report_problem *why)
{
	struct store_report r = { 0 };
	struct store_doc d;
	struct arena *a;
	bool copyright;
	int rc;

	*why = RP_OK;
	if (!report_reason_valid(f->reason)) {
		*why = RP_REASON;
		return WK_EINVAL;
	}
	copyright = !strcmp(f->reason, "copyright");
	if (!text_ok(f->details, !strcmp(f->reason, "other") ? 1 : 0,
		     REPORT_DETAILS_MAX))
		*why = RP_DETAILS;
	else if (copyright && !text_ok(f->claimant_name, 1, REPORT_NAME_MAX))
		*why = RP_NAME;
	else if (copyright &&
		 !text_ok(f->claimant_contact, 1, REPORT_CONTACT_MAX))
		*why = RP_CONTACT;
	else if (copyright && !text_ok(f->proof, 1, REPORT_PROOF_MAX))
		*why = RP_PROOF;
	if (*why != RP_OK)
		return WK_EINVAL;
	a = arena_new(0);
	if (!a)
		return WK_ENOMEM;
	rc = store_doc_get(s, a, doc_id, &d);
	if (rc == 0 && strcmp(d.status, "published"))
		rc = WK_ENOTFOUND;
	if (rc == 0) {
		r.doc_id = doc_id;
		r.reason = f->reason;
		r.details = f->details;
		r.reporter_id = reporter_id;
		r.reporter_ip = ip && strlen(ip) <= 64 ? ip : "";
		if (copyright) {
			r.claimant_name = f->claimant_name;
			r.claimant_contact = f->claimant_contact;
			r.proof = f->proof;
		}
		r.created_at = (int64_t)time(NULL);
		rc = store_report_add(s, &r, id);
	}
	arena_free(a);
	return rc;
}

bool report_action_parse(const char *s, enum report_action *out)
{
	static const char *const names[] = { "dismiss", "hide", "remove",
					     "restore" };
	size_t i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum report_action)i;
			return true;
		}
	return false;
}

/* Move the document and log it. */
static int doc_move(struct store *s, struct arena *a, int64_t actor,
		    int64_t doc_id, const char *from, const char *to,
		    const char *action, const char *note, int64_t now)
{
	int rc = store_doc_move(s, doc_id, from, to, now);

	if (rc)
		return rc;
	return audit_log(s, actor, action, AUDIT_DOC, doc_id,
			 arena_sprintf(a, "status=%s", from),
			 arena_sprintf(a, "status=%s", to), note);
}

/* Tell the provider what happened to their document (doc_kind, -1:
 * nothing), and the reporter (none when anonymous) the outcome of their
 * report: dismissed, or upheld by removal. Hiding is a step of the
 * review, not its outcome; the moderator's note goes to the reporter
 * only with a dismissal. */
static int notify_decision(struct store *s, const struct store_report *r,
			   enum report_action act, int doc_kind,
			   const char *note, int64_t now)
{
	struct notify_event e = { .object_type = AUDIT_DOC,
				  .object_id = r->doc_id, .doc_id = r->doc_id,
				  .subject = r->doc_title, .note = note };
	int rc;

	if (doc_kind >= 0) {
		e.kind = (enum notify_kind)doc_kind;
		if ((rc = notify_post(s, r->provider_id, &e, now)))
			return rc;
	}
	if (act != RA_DISMISS && act != RA_REMOVE)
		return 0;
	e.kind = act == RA_DISMISS ? NK_REPORT_DISMISSED : NK_REPORT_UPHELD;
	e.object_type = AUDIT_REPORT;
	e.object_id = r->id;
	e.note = act == RA_DISMISS ? note : NULL;
	return notify_post(s, r->reporter_id, &e, now);
}

/* The decision itself, inside the caller's ledger transaction. */
static int decide(struct store *s, struct arena *a, const struct store_report *r,
		  enum report_action act, const char *note, int64_t mod,
		  int strike_limit, struct report_result *out)
{
	static const char *const after[] = { "dismissed", "hidden", "removed",
					     "restored" };
	static const char *const action[] = { "report.dismiss", "report.hide",
					      "report.remove",
					      "report.restore" };
	const char *ds = r->doc_status;
	int64_t now = (int64_t)time(NULL), uid;
	int doc_kind = -1, rc;

	switch (act) {
	case RA_DISMISS:
		if (strcmp(r->status, "open") && strcmp(r->status, "hidden"))
			return WK_ECONFLICT;
		/* The review found nothing: what this report hid comes back. */
		if (!strcmp(r->status, "hidden") && !strcmp(ds, "hidden")) {
			if ((rc = doc_move(s, a, mod, r->doc_id, "hidden",
					   "published", "document.publish",
					   note, now)))
				return rc;
			doc_kind = NK_DOC_RESTORED;
		}
		break;
	case RA_HIDE:
		if (strcmp(r->status, "open"))
			return WK_ECONFLICT;
		if ((rc = doc_move(s, a, mod, r->doc_id, "published", "hidden",
				   "document.hide", note, now)))
			return rc;
		doc_kind = NK_DOC_HIDDEN;
		break;
	case RA_REMOVE:
		if (strcmp(r->status, "open") && strcmp(r->status, "hidden"))
			return WK_ECONFLICT;
		if (strcmp(ds, "published") && strcmp(ds, "hidden"))
			return WK_ECONFLICT;
		if ((rc = doc_move(s, a, mod, r->doc_id, ds, "removed",
				   "document.remove", note, now)))
			return rc;
		doc_kind = NK_DOC_REMOVED;
		if (r->provider_id &&
		    (rc = ledger_revoke_upload(s, a, r->provider_id, r->doc_id,
					       &out->revoked)))
			return rc;
		if (r->provider_id && !strcmp(r->reason, "copyright")) {
			if ((rc = store_strike_add(s, r->provider_id, r->doc_id,
						   r->id, now)) ||
			    (rc = store_strike_count(s, r->provider_id,
						     &out->strikes)) ||
			    (rc = audit_log(s, mod, "user.strike", AUDIT_USER,
					    r->provider_id,
					    arena_sprintf(a, "strikes=%lld",
						(long long)out->strikes - 1),
					    arena_sprintf(a, "strikes=%lld",
						(long long)out->strikes),
					    arena_sprintf(a, "document %lld",
						(long long)r->doc_id))))
				return rc;
			out->strike = true;
			out->suspended = strike_limit > 0 &&
					 out->strikes == strike_limit;
			if (out->suspended &&
			    (rc = audit_log(s, mod, "user.uploads_suspended",
					    AUDIT_USER, r->provider_id, "",
					    "uploads=suspended",
					    "strike_limit")))
				return rc;
		}
		break;
	case RA_RESTORE:
		/* Only what this report did is undone by it. */
		if (!strcmp(r->status, "hidden") ? strcmp(ds, "hidden")
		    : !strcmp(r->status, "removed") ? strcmp(ds, "removed")
						     : 1)
			return WK_ECONFLICT;
		doc_kind = NK_DOC_RESTORED;
		if ((rc = doc_move(s, a, mod, r->doc_id, ds, "published",
				   "document.restore", note, now)) ||
		    (rc = store_strike_lift(s, r->doc_id, now, &uid,
					    &out->strike)))
			return rc;
		if (out->strike &&
		    ((rc = store_strike_count(s, uid, &out->strikes)) ||
		     (rc = audit_log(s, mod, "user.strike_lifted", AUDIT_USER,
				     uid, "", arena_sprintf(a, "strikes=%lld",
					(long long)out->strikes),
				     arena_sprintf(a, "document %lld",
						   (long long)r->doc_id)))))
			return rc;
		break;
	}
	if ((rc = store_report_move(s, r->id, r->status, after[act], note,
				    mod, now)) ||
	    (rc = notify_decision(s, r, act, doc_kind, note, now)))
		return rc;
	return audit_log(s, mod, action[act], AUDIT_REPORT, r->id,
			 arena_sprintf(a, "status=%s", r->status),
			 arena_sprintf(a, "status=%s", after[act]), note);
}

int report_decide(struct store *s, struct arena *a, int64_t id,
		  enum report_action act, const char *note,
		  int64_t moderator_id, int strike_limit,
		  struct report_result *out)
{
	struct store_report r;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!text_ok(note, act == RA_REMOVE ? 1 : 0, REPORT_NOTE_MAX))
		return WK_EINVAL;
	if ((rc = store_ledger_begin(s)))
		return rc;
	/* Read inside the write transaction: no decision races another. */
	rc = store_report_get(s, a, id, &r);
	if (rc == 0)
		rc = decide(s, a, &r, act, note ? note : "", moderator_id,
			    strike_limit, out);
	if (rc) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}

int report_counter(struct store *s, struct arena *a, int64_t doc_id,
		   int64_t user_id, const char *text)
{
	struct store_report r;
	int rc;

	if (!text_ok(text, 1, REPORT_COUNTER_MAX))
		return WK_EINVAL;
	if ((rc = store_write_begin(s)))
		return rc;
	rc = store_report_latest(s, a, doc_id, "removed", &r);
	if (rc == 0 && (r.provider_id != user_id ||
			strcmp(r.doc_status, "removed")))
		rc = WK_ENOTFOUND;
	if (rc == 0 && r.counter_at)
		rc = WK_ECONFLICT;
	if (rc == 0)
		rc = store_report_counter(s, r.id, text, (int64_t)time(NULL));
	if (rc == 0)
		rc = audit_log(s, user_id, "report.counter_notice",
			       AUDIT_REPORT, r.id, "counter=none",
			       "counter=filed", NULL);
	if (rc) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}
