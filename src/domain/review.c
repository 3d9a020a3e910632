/*
 * review.c - the console's review queue (see review.h).
 */
#include "review.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "audit.h"
#include "ledger.h"
#include "notify.h"
#include "tags.h"

#include <string.h>
#include <time.h>

static bool reason_ok(const char *reason)
{
	size_t n = reason ? strlen(reason) : 0;

	return n > 0 && n <= REVIEW_REASON_MAX && utf8_valid(reason, n);
}

static bool title_ok(const char *t)
{
	size_t n = t ? strlen(t) : 0, i;

	if (!n || n > REVIEW_TITLE_MAX * 4 || !utf8_valid(t, n) ||
	    utf8_offset(t, n, REVIEW_TITLE_MAX) != n)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return false;
	return true;
}

/* Tell the document's provider (none: nothing) what the review did. */
static int notify_doc(struct store *s, const struct store_review_doc *r,
		      enum notify_kind kind, const char *reason, int64_t now)
{
	struct notify_event e = { .kind = kind, .object_type = AUDIT_DOC,
				  .object_id = r->doc.id,
				  .doc_id = r->doc.id,
				  .subject = r->doc.title, .note = reason };

	return notify_post(s, r->doc.provider_id, &e, now);
}

int review_approve(struct store *s, struct arena *a, int64_t mod_id,
		   int64_t id, int64_t now, int64_t amount, int64_t daily_cap,
		   bool *given)
{
	struct store_review_doc r;
	int rc;

	*given = false;
	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	if (strcmp(r.doc.status, "pending")) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if ((rc = store_doc_move(s, id, "pending", "published", now)) ||
	    (rc = audit_log(s, mod_id, "document.approve", AUDIT_DOC, id,
			    "status=pending", "status=published", NULL)) ||
	    (rc = notify_doc(s, &r, NK_DOC_APPROVED, NULL, now)))
		goto fail;
	if ((rc = store_write_commit(s)))
		return rc;
	/* As the conversion runner does: the reward follows the commit. */
	if (r.doc.provider_id &&
	    (rc = ledger_reward_upload(s, a, r.doc.provider_id, id, now,
				       amount, daily_cap, given)))
		log_warn("upload reward for document %lld failed: %s",
			 (long long)id, wk_strerror(rc));
	return 0;
fail:
	store_write_rollback(s);
	return rc;
}

/* A document in one of the states from (a NULL-ended list) -> to, with
 * reason shown to its provider, audited as action, the provider told
 * (kind), and the upload reward taken back (*revoked), in one ledger
 * transaction. */
static int retire(struct store *s, struct arena *a, int64_t mod_id,
		  int64_t id, const char *const *from, const char *to,
		  const char *action, enum notify_kind kind,
		  const char *reason, int64_t now, int64_t *revoked)
{
	struct store_review_doc r;
	int rc;

	*revoked = 0;
	if (!reason_ok(reason))
		return WK_EINVAL;
	if ((rc = store_ledger_begin(s)))
		return rc;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	while (*from && strcmp(r.doc.status, *from))
		from++;
	if (!*from) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if ((rc = store_doc_move(s, id, r.doc.status, to, now)) ||
	    (rc = store_doc_note(s, id, reason)) ||
	    (rc = audit_log(s, mod_id, action, AUDIT_DOC, id,
			    arena_sprintf(a, "status=%s", r.doc.status),
			    arena_sprintf(a, "status=%s", to), reason)) ||
	    (rc = notify_doc(s, &r, kind, reason, now)))
		goto fail;
	if (r.doc.provider_id &&
	    (rc = ledger_revoke_upload(s, a, r.doc.provider_id, id, revoked)))
		goto fail;
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

int review_reject(struct store *s, struct arena *a, int64_t mod_id,
		  int64_t id, const char *reason, int64_t *revoked)
{
	static const char *const from[] = { "pending", NULL };

	return retire(s, a, mod_id, id, from, "rejected", "document.reject",
		      NK_DOC_REJECTED, reason, (int64_t)time(NULL), revoked);
}

static const char *edit_state(struct arena *a, const char *title,
			      int64_t category_id, int price, bool vip_free)
{
	return arena_sprintf(a, "title=%s category=%lld price=%d vip_free=%d",
			     title, (long long)category_id, price,
			     vip_free ? 1 : 0);
}

static int category_exists(struct store *s, struct arena *a, int64_t id)
{
	struct store_category *c;
	size_t n, i;
	int rc;

	if ((rc = store_category_list(s, a, &c, &n)))
		return rc;
	for (i = 0; i < n; i++)
		if (c[i].id == id)
			return 0;
	return WK_EINVAL;
}

int review_edit(struct store *s, struct arena *a, int64_t mod_id,
		int64_t id, const char *title, int64_t category_id,
		int price, int price_max, bool vip_free)
{
	struct store_review_doc r;
	const char *before, *after;
	int rc;

	if (!title_ok(title) || price < 0 || price > price_max ||
	    category_id < 0)
		return WK_EINVAL;
	if ((rc = store_write_begin(s)))
		return rc;
	if (category_id && (rc = category_exists(s, a, category_id)))
		goto fail;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	if (strcmp(r.doc.status, "pending")) {
		rc = WK_ECONFLICT;
		goto fail;
	}
	before = edit_state(a, r.doc.title, r.doc.category_id, r.doc.price,
			    r.doc.vip_free);
	after = edit_state(a, title, category_id, price, vip_free);
	if (!before || !after) {
		rc = WK_ENOMEM;
		goto fail;
	}
	if (!strcmp(before, after)) {
		store_write_rollback(s);
		return 0;
	}
	if ((rc = store_doc_edit(s, id, title, category_id, price,
				 vip_free)) ||
	    (rc = audit_log(s, mod_id, "document.edit", AUDIT_DOC, id, before,
			    after, NULL)))
		goto fail;
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

int review_recommend(struct store *s, struct arena *a, int64_t mod_id,
		     int64_t id, bool on, int64_t now)
{
	struct store_review_doc r;
	int rc;

	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	if ((rc = store_doc_recommend(s, id, on ? now : 0)) ||
	    (rc = audit_log(s, mod_id,
			    on ? "document.recommend" : "document.unrecommend",
			    AUDIT_DOC, id, on ? "recommended=0" : "recommended=1",
			    on ? "recommended=1" : "recommended=0", NULL)))
		goto fail;
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

int review_takedown(struct store *s, struct arena *a, int64_t mod_id,
		    int64_t id, const char *reason, int64_t now,
		    int64_t *revoked)
{
	static const char *const from[] = { "published", "hidden", NULL };

	return retire(s, a, mod_id, id, from, "removed", "document.takedown",
		      NK_DOC_TAKEN_DOWN, reason, now, revoked);
}

int review_restore(struct store *s, struct arena *a, int64_t mod_id,
		   int64_t id, const char *note, int64_t now,
		   const char **to, bool *strike_lifted)
{
	struct store_review_doc r;
	int64_t uid = 0, strikes;
	int rc;

	*strike_lifted = false;
	*to = NULL;
	if (note && *note && !reason_ok(note))
		return WK_EINVAL;
	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	if (!strcmp(r.doc.status, "rejected")) {
		*to = "pending";
	} else if (!strcmp(r.doc.status, "removed") ||
		   !strcmp(r.doc.status, "hidden")) {
		*to = "published";
	} else {
		rc = WK_ECONFLICT;
		goto fail;
	}
	if ((rc = store_doc_move(s, id, r.doc.status, *to, now)) ||
	    (rc = store_doc_note(s, id, "")) ||
	    (rc = audit_log(s, mod_id, "document.restore", AUDIT_DOC, id,
			    arena_sprintf(a, "status=%s", r.doc.status),
			    arena_sprintf(a, "status=%s", *to), note)) ||
	    (!strcmp(*to, "published") &&
	     (rc = notify_doc(s, &r, NK_DOC_RESTORED, note, now))) ||
	    (rc = store_strike_lift(s, id, now, &uid, strike_lifted)))
		goto fail;
	if (*strike_lifted &&
	    ((rc = store_strike_count(s, uid, &strikes)) ||
	     (rc = audit_log(s, mod_id, "user.strike_lifted", AUDIT_USER, uid,
			     "", arena_sprintf(a, "strikes=%lld",
					       (long long)strikes),
			     arena_sprintf(a, "document %lld",
					   (long long)id)))))
		goto fail;
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}

const char *review_tag_list(struct store *s, struct arena *a, int64_t id)
{
	struct store_tag *t;
	const char *out = "";
	size_t n, i;

	if (store_doc_tags(s, a, id, &t, &n))
		return NULL;
	for (i = 0; i < n && out; i++)
		out = arena_sprintf(a, "%s%s%s", out, i ? ", " : "", t[i].name);
	return out;
}

int review_tags(struct store *s, struct arena *a, int64_t mod_id,
		int64_t id, const char *typed)
{
	struct store_review_doc r;
	const char **names, *before, *after;
	size_t n;
	int rc;

	if ((rc = tags_parse_max(a, typed, STORE_DOC_TAGS_MAX, &names, &n)))
		return rc;
	if ((rc = store_write_begin(s)))
		return rc;
	if ((rc = store_review_get(s, a, id, &r)))
		goto fail;
	if (!(before = review_tag_list(s, a, id)) ||
	    (rc = store_doc_tags_replace(s, id, names, n)) ||
	    !(after = review_tag_list(s, a, id))) {
		rc = rc ? rc : WK_EIO;
		goto fail;
	}
	if (!strcmp(before, after)) {
		store_write_rollback(s);
		return 0;
	}
	if ((rc = audit_log(s, mod_id, "document.tags", AUDIT_DOC, id,
			    before, after, NULL)))
		goto fail;
	return store_write_commit(s);
fail:
	store_write_rollback(s);
	return rc;
}
