/*
 * codes.h - redemption codes (卡密) worth points.
 *
 * A code is 20 characters of Crockford base32 (100 random bits from
 * libsodium), shown in groups of five: "7K3QD-M2X9A-...". Only its
 * SHA-256 is stored. Typing is forgiving: case, spaces and dashes are
 * ignored, O reads as 0 and I/L as 1.
 *
 * Redeeming posts a ledger grant under the key "code:<hash>", so a code
 * pays out once, whoever tries it and however many try at once: the
 * first redeemer gets the points, a retry by the same account gets the
 * same answer (replayed), anyone else gets CODE_USED.
 *
 * A code may be worth a VIP plan instead: redeeming adds one period of
 * the plan (vip.h) under the same key "code:<hash>", once.
 */
#ifndef WK_CODES_H
#define WK_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct ledger_result;

#define CODE_CHARS 20		/* base32 characters, 100 bits */
#define CODE_TEXT 24		/* with dashes: 23 + NUL */
#define CODES_MAX_BATCH 100000
#define CODES_MAX_POINTS 10000000

/* Make count codes worth points each, valid until expires_at, recorded
 * under batch (1..64 bytes). codes receives count strings of CODE_TEXT
 * (the only time the codes exist in clear). 0, WK_EINVAL, WK_EIO. */
int codes_generate(struct store *s, const char *batch, int64_t points,
		   size_t count, int64_t expires_at, int64_t now,
		   char (*codes)[CODE_TEXT]);

/* The same for codes worth one period of VIP plan vip_plan_id each
 * (WK_ENOTFOUND when there is no such plan). */
int codes_generate_vip(struct store *s, const char *batch,
		       int64_t vip_plan_id, size_t count, int64_t expires_at,
		       int64_t now, char (*codes)[CODE_TEXT]);

/* The console's batches (admin_id: the acting admin): points > 0 or
 * vip_plan_id > 0, count 1..CODES_CONSOLE_MAX, a batch name not used
 * before (WK_ECONFLICT). The codes and the audit entry "codes.create"
 * (never the codes) are written in one transaction; *batch_id names the
 * batch (store_code_batch_get). WK_EINVAL, WK_ENOTFOUND (plan). */
#define CODES_CONSOLE_MAX 10000
int codes_create_batch(struct store *s, int64_t admin_id, const char *batch,
		       int64_t points, int64_t vip_plan_id, size_t count,
		       int64_t expires_at, int64_t now,
		       char (*codes)[CODE_TEXT], int64_t *batch_id);

/* Void batch batch_id at now: its codes answer CODE_EXPIRED from then on
 * (what was redeemed stays). Audited as "codes.void". WK_ENOTFOUND,
 * WK_ECONFLICT (voided already). */
int codes_void_batch(struct store *s, int64_t admin_id, int64_t batch_id,
		     int64_t now);

enum code_outcome {
	CODE_OK,		/* points granted now (or replayed for the
				 * account that redeemed it) */
	CODE_INVALID,		/* no such code (or malformed) */
	CODE_EXPIRED,		/* or its batch was voided */
	CODE_USED,		/* redeemed by another account */
	CODE_VIP,		/* a VIP code: membership extended (or
				 * replayed); out->vip_until its new end */
};

/* Redeem typed (any case, dashes and spaces allowed) for user_id at now.
 * 0 with *outcome (and *out when CODE_OK or CODE_VIP), or WK_EIO. */
int codes_redeem(struct store *s, struct arena *a, int64_t user_id,
		 const char *typed, int64_t now, enum code_outcome *outcome,
		 struct ledger_result *out);

/* Normalise typed into CODE_CHARS+1 bytes; false if it is not a code. */
bool codes_normalise(const char *typed, char out[CODE_CHARS + 1]);

#endif
