/*
 * comments.c - comment moderation: blocked words, pre-approval, hiding
 * and restoring (see comments.h).
 */
#include "comments.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../store/store.h"
#include "audit.h"
#include "ledger.h"
#include "notify.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* text folded for matching (malloc'd), or NULL. */
static char *fold(const char *text, size_t len)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
			 &out, UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				       UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
				       UTF8PROC_STABLE);
	if (n < 0)
		return NULL;
	return (char *)out;
}

bool comment_blocked(const char *words, const char *text)
{
	char *list, *body, *w;
	bool hit = false;

	if (!words || !*words || !text)
		return false;
	/* Folding the list first also turns the full-width comma (，)
	 * into a comma. */
	list = fold(words, strlen(words));
	body = fold(text, strlen(text));
	for (w = list; w && body && *w && !hit;) {
		size_t n = strcspn(w, ",\n\r");
		char *e = w + n;

		while (n && (*w == ' ' || *w == '\t')) {
			w++;
			n--;
		}
		while (n && (w[n - 1] == ' ' || w[n - 1] == '\t'))
			n--;
		if (n) {
			char save = w[n];
			w[n] = '\0';
			hit = strstr(body, w) != NULL;
			w[n] = save;
		}
		w = *e ? e + 1 : e;
	}
	free(list);
	free(body);
	return hit;
}

#define REPLY_EXCERPT 60	/* characters of a reply quoted in a notice */

/* Tell the author of the comment that reply (id, by reply->user_id, on
 * doc_id) answers, now that it is visible: nothing for a top-level
 * comment, a reply to oneself or to a deleted comment. Inside the
 * caller's write transaction. */
static int notify_reply(struct store *s, struct arena *a,
			const struct store_comment *reply, int64_t doc_id)
{
	struct notify_event e = { .kind = NK_COMMENT_REPLY,
				  .object_type = AUDIT_COMMENT,
				  .object_id = reply->id, .doc_id = doc_id };
	struct store_comment parent;
	const char *status;
	struct store_doc d;
	int64_t pdoc;
	size_t n;
	int rc;

	if (!reply->parent_id)
		return 0;
	rc = store_comment_get(s, a, reply->parent_id, &parent, &pdoc,
			       &status);
	if (rc == WK_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (parent.user_id == reply->user_id || !strcmp(status, "deleted"))
		return 0;
	if ((rc = store_doc_get(s, a, doc_id, &d)))
		return rc;
	e.subject = d.title;
	n = strlen(reply->body);
	e.note = arena_strndup(a, reply->body,
			       utf8_offset(reply->body, n, REPLY_EXCERPT));
	return notify_post(s, parent.user_id, &e, (int64_t)time(NULL));
}

int comment_post(struct store *s, struct arena *a,
		 const struct comment_rules *r, int64_t doc_id,
		 int64_t user_id, int64_t parent_id, const char *body,
		 int64_t *id, enum comment_outcome *out)
{
	bool given;
	int rc;

	*id = 0;
	if (comment_blocked(r->blocked_words, body)) {
		*out = CO_BLOCKED;
		return 0;
	}
	*out = r->pre ? CO_PENDING : CO_VISIBLE;
	if ((rc = store_write_begin(s)))
		return rc;
	rc = store_comment_add(s, doc_id, user_id, parent_id, body,
			       r->pre ? "pending" : "visible", id);
	/* A pending reply is told about when it is approved. */
	if (rc == 0 && !r->pre) {
		struct store_comment c = { .id = *id, .parent_id = parent_id,
					   .user_id = user_id,
					   .body = body };
		rc = notify_reply(s, a, &c, doc_id);
	}
	if (rc) {
		store_write_rollback(s);
		*id = 0;
		return rc;
	}
	if ((rc = store_write_commit(s))) {
		*id = 0;
		return rc;
	}
	if (!r->pre &&
	    ledger_reward_comment(s, a, user_id, *id, (int64_t)time(NULL),
				  r->reward, r->reward_daily, &given))
		log_warn("reward for comment %lld failed", (long long)*id);
	return 0;
}

bool comment_action_parse(const char *s, enum comment_action *out)
{
	static const char *const names[] = { "approve", "hide", "restore" };
	size_t i;

	for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum comment_action)i;
			return true;
		}
	return false;
}

int comment_moderate(struct store *s, struct arena *a,
		     const struct comment_rules *r, int64_t id,
		     enum comment_action act, int64_t moderator_id)
{
	static const char *const action[] = { "comment.approve",
					      "comment.hide",
					      "comment.restore" };
	struct store_comment c;
	const char *status, *to;
	int64_t doc, n;
	bool given;
	int rc;

	if ((rc = store_ledger_begin(s)))
		return rc;
	rc = store_comment_get(s, a, id, &c, &doc, &status);
	if (rc)
		goto out;
	switch (act) {
	case CA_APPROVE:
		rc = strcmp(status, "pending") ? WK_ECONFLICT : 0;
		to = "visible";
		break;
	case CA_HIDE:
		rc = strcmp(status, "pending") && strcmp(status, "visible")
			     ? WK_ECONFLICT : 0;
		to = "hidden";
		break;
	default:
		rc = strcmp(status, "hidden") ? WK_ECONFLICT : 0;
		to = "visible";
		break;
	}
	if (rc || (rc = store_comment_move(s, id, status, to)))
		goto out;
	if (act == CA_APPROVE) {
		rc = ledger_reward_comment(s, a, c.user_id, id,
					   (int64_t)time(NULL), r->reward,
					   r->reward_daily, &given);
		/* Approval is when a pending reply becomes visible. */
		if (rc == 0)
			rc = notify_reply(s, a, &c, doc);
	} else if (act == CA_HIDE) {
		rc = ledger_revoke_comment(s, a, c.user_id, id, &n);
	}
	if (rc == 0)
		rc = audit_log(s, moderator_id, action[act], AUDIT_COMMENT, id,
			       arena_sprintf(a, "status=%s", status),
			       arena_sprintf(a, "status=%s", to), NULL);
out:
	if (rc) {
		store_write_rollback(s);
		return rc;
	}
	return store_write_commit(s);
}
