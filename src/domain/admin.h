/*
 * admin.h - the operator console's rules: the dashboard's figures and
 * what an administrator may do to an account (role, suspension, points,
 * VIP) or to a failed conversion job.
 *
 * Every action writes its audit_log() entry in the transaction that
 * makes the change, with the state before and after. Who may call these
 * is decided by the caller through perm_can(PERM_ADMIN); the functions
 * here enforce only the rules of the actions themselves (an admin can't
 * demote or suspend themselves).
 */
#ifndef WK_ADMIN_H
#define WK_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "../store/store.h"

struct arena;
struct ledger_result;

#define ADMIN_DAYS 30		/* days on the dashboard */
#define ADMIN_REASON_MAX 500	/* bytes of a reason typed in the console */

/* The dashboard: per China day (UTC+8) from first_day (a rank_day()
 * number) to the day of now, the oldest first, and the queues. */
struct admin_dashboard {
	int first_day;
	int64_t daily[STORE_ADMIN_METRICS][ADMIN_DAYS];
	int64_t total[STORE_ADMIN_METRICS];	/* over the 30 days */
	struct store_admin_queues queues;
};

/* Fill d for the 30 China days ending with the day of now (one read
 * transaction). 0 or a store error. */
int admin_dashboard_at(struct store *s, int64_t now,
		       struct admin_dashboard *d);

/* Whether role is one an account may have. */
bool admin_role_valid(const char *role);

/* admin_id sets user_id's role (ending the user's sessions, so the new
 * role applies at once). WK_EINVAL for an unknown role, WK_EFORBIDDEN
 * when an admin would demote themselves, WK_ENOTFOUND for no such user.
 * Setting the role it already has changes and logs nothing. */
int admin_set_role(struct store *s, int64_t admin_id, int64_t user_id,
		   const char *role);

/* Suspend user_id until until (0: indefinitely) for reason (required,
 * at most ADMIN_REASON_MAX bytes); a suspended account can read but not
 * act. WK_EFORBIDDEN for oneself, WK_EINVAL for a missing reason or an
 * end in the past (now given), WK_ENOTFOUND. */
int admin_suspend(struct store *s, int64_t admin_id, int64_t user_id,
		  int64_t until, const char *reason, int64_t now);
/* Lift a suspension. WK_ECONFLICT when the account is not suspended. */
/* Send user_id a message from the site (客服回复...): text of
 * 1..ADMIN_MESSAGE_MAX bytes of UTF-8, delivered to the user's inbox as
 * a notification and audited as user.message, in one transaction.
 * WK_EINVAL, WK_ENOTFOUND. */
#define ADMIN_MESSAGE_MAX 1000
int admin_message(struct store *s, int64_t admin_id, int64_t user_id,
		  const char *text, int64_t now);

int admin_lift(struct store *s, int64_t admin_id, int64_t user_id,
	       const char *reason);

/* Grant amount points to user_id through the ledger, under the key
 * "admin-grant:<nonce>" (nonce: 16..64 letters or digits from the
 * console's form, so a resubmitted form grants once); the reason
 * (required) is kept with the transaction, naming the admin. The audit
 * entry is written once, with the grant. WK_EINVAL, WK_ENOTFOUND,
 * WK_ECONFLICT (nonce used for another grant). *out as ledger_grant. */
int admin_grant_points(struct store *s, struct arena *a, int64_t admin_id,
		       const char *admin_name, int64_t user_id,
		       int64_t amount, const char *nonce, const char *reason,
		       struct ledger_result *out);

/* Give user_id a period of VIP plan_id (days 0: the plan's) as admin_id,
 * once per nonce (as admin_grant_points). *until: the membership's new
 * end. */
int admin_grant_vip(struct store *s, int64_t admin_id, int64_t user_id,
		    int64_t plan_id, int days, const char *nonce, int64_t now,
		    int64_t *until, bool *replayed);

/* End every sign-in session of user_id (signed out everywhere; API
 * tokens are not sessions and stay), audited as "user.sessions_end"
 * with the number of live sessions before. *ended: how many there were
 * (0 is not an error, and is logged too). WK_ENOTFOUND. */
int admin_end_sessions(struct store *s, int64_t admin_id, int64_t user_id,
		       int64_t now, int64_t *ended);

/* Put failed conversion job id back in the queue. WK_ENOTFOUND,
 * WK_ECONFLICT (not a failed job). */
int admin_job_retry(struct store *s, int64_t admin_id, int64_t id,
		    int64_t now);

#endif
