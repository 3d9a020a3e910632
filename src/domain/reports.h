/*
 * reports.h - reports (违规举报), copyright takedowns and strikes.
 *
 * Anyone may report a published document for one of six reasons; a
 * copyright claim also names the claimant, a contact and the proof of
 * rights. Moderators decide each report:
 *
 *   dismiss   nothing wrong; a document this report hid is published
 *             again
 *   hide      the document is hidden pending review
 *   remove    the document is removed, with a reason its provider sees;
 *             the upload reward is taken back; an upheld copyright
 *             claim is a strike against the provider
 *   restore   a hidden or removed document is published again (after a
 *             counter-notice, say); its strike is lifted
 *
 * Hidden and removed documents leave every public list, ranking and
 * download at once: all of those show only status 'published'.
 * Purchasers keep their entitlement rows (their record), but nobody
 * downloads a document that is not published. Each decision, with its
 * audit entries, the strike and the reward's return, is one ledger
 * transaction. A provider with strike_limit live strikes may not upload
 * (perm.h); restoring a document lifts its strike and so may lift that.
 */
#ifndef WK_REPORTS_H
#define WK_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct store;

/* Field limits, in characters. */
#define REPORT_DETAILS_MAX 2000
#define REPORT_NAME_MAX 100
#define REPORT_CONTACT_MAX 200
#define REPORT_PROOF_MAX 5000
#define REPORT_NOTE_MAX 1000
#define REPORT_COUNTER_MAX 5000

/* What a report says (strings as sent; NULL means empty). */
struct report_form {
	const char *reason;	/* copyright secret illegal porn spam other */
	const char *details;	/* required for "other" */
	const char *claimant_name;	/* copyright: required */
	const char *claimant_contact;	/* copyright: required */
	const char *proof;		/* copyright: required */
};

/* Which field of a report_form is wrong. */
enum report_problem {
	RP_OK,
	RP_REASON,
	RP_DETAILS,
	RP_NAME,
	RP_CONTACT,
	RP_PROOF,
};

/* Whether reason is one of the six. */
bool report_reason_valid(const char *reason);

/* File a report on published document doc_id by reporter_id (0: not
 * signed in) from address ip. 0 with *id; WK_EINVAL with *why;
 * WK_ENOTFOUND when the document is not published. */
int report_file(struct store *s, int64_t doc_id, int64_t reporter_id,
		const char *ip, const struct report_form *f, int64_t *id,
		enum report_problem *why);

enum report_action { RA_DISMISS, RA_HIDE, RA_REMOVE, RA_RESTORE };

/* What a decision did besides moving the report and the document. */
struct report_result {
	int64_t revoked;	/* upload reward points taken back */
	bool strike;		/* a strike was added (or lifted) */
	int64_t strikes;	/* the provider's live strikes after */
	bool suspended;		/* this strike reached strike_limit */
};

/* Parse "dismiss", "hide", "remove", "restore"; false otherwise. */
bool report_action_parse(const char *s, enum report_action *out);

/* Moderator moderator_id decides report id. note is the reason (shown
 * to the provider on removal, where it is required). strike_limit is
 * the setting (0: no suspension), only for the audit entry that says a
 * provider's uploads are now suspended. WK_ENOTFOUND (no report),
 * WK_EINVAL (note missing or too long), WK_ECONFLICT (the report or the
 * document is not in a state the action applies to). */
int report_decide(struct store *s, struct arena *a, int64_t id,
		  enum report_action act, const char *note,
		  int64_t moderator_id, int strike_limit,
		  struct report_result *out);

/* The provider user_id answers the removal of their document doc_id
 * with a counter-notice text (1..REPORT_COUNTER_MAX characters), once
 * per removal. WK_ENOTFOUND unless the document is theirs and removed;
 * WK_EINVAL for a bad text; WK_ECONFLICT when already sent. */
int report_counter(struct store *s, struct arena *a, int64_t doc_id,
		   int64_t user_id, const char *text);

#endif
