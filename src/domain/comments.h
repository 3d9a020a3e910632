/*
 * comments.h - posting comments under the site's moderation rules, and
 * moderators' decisions on them.
 *
 * comment_moderation "post" publishes a comment at once (moderators may
 * hide it later); "pre" keeps it pending, seen by no reader, until a
 * moderator approves it. The comment reward (ledger_reward_comment) is
 * given when the comment becomes visible: at posting, or at approval.
 * Hiding takes the reward back (ledger_revoke_comment, once); restoring
 * does not give it again.
 *
 * blocked_words is a list separated by commas or line breaks. A comment
 * containing one (compared after NFKC folding, case folding and the
 * removal of default-ignorable characters such as zero-width spaces, on
 * both sides) is refused with a message, not stored.
 */
#ifndef WK_COMMENTS_H
#define WK_COMMENTS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store;

struct comment_rules {
	bool pre;			/* comment_moderation = pre */
	const char *blocked_words;	/* the setting */
	int64_t reward, reward_daily;	/* reward_comment, ..._daily */
};

/* Whether text contains one of the blocked words (see above). */
bool comment_blocked(const char *blocked_words, const char *text);

enum comment_outcome { CO_VISIBLE, CO_PENDING, CO_BLOCKED };

/* Post body (already checked for length) by user_id on doc_id, replying
 * to parent_id (0: none). CO_BLOCKED stores nothing. *id is set unless
 * blocked. 0 or a store error. */
int comment_post(struct store *s, struct arena *a,
		 const struct comment_rules *r, int64_t doc_id,
		 int64_t user_id, int64_t parent_id, const char *body,
		 int64_t *id, enum comment_outcome *out);

enum comment_action { CA_APPROVE, CA_HIDE, CA_RESTORE };

/* Parse "approve", "hide", "restore"; false otherwise. */
bool comment_action_parse(const char *s, enum comment_action *out);

/* A moderator's decision on comment id: approve (pending -> visible,
 * with the reward), hide (pending or visible -> hidden, reward taken
 * back), restore (hidden -> visible). Logged in the audit log in the
 * same transaction. WK_ENOTFOUND, WK_ECONFLICT (wrong state). */
int comment_moderate(struct store *s, struct arena *a,
		     const struct comment_rules *r, int64_t id,
		     enum comment_action act, int64_t moderator_id);

#endif
