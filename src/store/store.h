/*
 * store.h - all persistent state: the database and the blob folder.
 *
 * The only module that speaks SQL. One struct store per data folder; it
 * is safe to use from many threads at once (each thread gets its own
 * SQLite connection, opened on first use). SQL is kept to the subset
 * PostgreSQL also accepts, so a second backend can sit behind this same
 * interface.
 *
 * Rows returned by the query functions are allocated in the caller's
 * arena and live as long as it does. Functions return 0 or a negative
 * WK_ error; WK_ENOTFOUND when the object does not exist, WK_EIO when
 * the database failed (the detail is logged).
 */
#ifndef WK_STORE_H
#define WK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;

/* ---- lifecycle ---------------------------------------------------------*/

/* Open (creating if needed) the data folder dir: database dir/wenku.db in
 * WAL mode, blobs under dir/blobs/; apply pending migrations from the
 * built-in migrations/ folder in order. On failure NULL and err set. */
struct store *store_open(const char *dir, char *err, size_t errlen);
void store_close(struct store *s);
/* Highest migration number applied. */
int store_schema_version(struct store *s);
/* Run `PRAGMA quick_check`; 0 when the database is healthy (reads the
 * whole file: seconds on a large library). */
int store_check(struct store *s);
/* A cheap read on this thread's connection: 0 when the database
 * answers (for /healthz). */
int store_ping(struct store *s);
/* A number no other store opened by this process has: for caches
 * keyed by (store, row id). */
uint64_t store_serial(const struct store *s);

/* Run the reads that follow in one read transaction on this thread's
 * connection: they see one consistent snapshot and pay the locking cost
 * once. Every store_read_begin() must be matched by store_read_end().
 * Writes must not happen in between. */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* A write transaction (BEGIN IMMEDIATE) around several writes; the
 * writing functions below join it instead of opening their own. */
int store_write_begin(struct store *s);
int store_write_commit(struct store *s);
void store_write_rollback(struct store *s);

/* ---- rows --------------------------------------------------------------*/

struct store_doc {
	int64_t id;
	const char *title;
	const char *format;
	const char *sha256;
	int64_t size;
	int pages;
	int64_t chars;
	int price;
	bool vip_free;
	int64_t category_id;		/* 0 = none */
	const char *category_name;	/* joined; NULL when none */
	const char *category_slug;
	int64_t provider_id;		/* 0 = none */
	const char *status;
	const char *description;
	int64_t views;
	int64_t downloads;
	int64_t created_at;
	int64_t published_at;
	bool has_simhash;
	uint64_t simhash;	/* of the normalised text */
	int64_t near_dup_of;	/* 0 = none */
};

struct store_block {
	int kind;		/* enum parse_block_kind */
	int level;
	int64_t char_start;
	const char *text;
};

struct store_category {
	int64_t id;
	int64_t parent_id;
	const char *slug;
	const char *name;
	int sort;
	int64_t doc_count;	/* published documents */
};

struct store_user {
	int64_t id;
	const char *name;
	const char *display_name;
	const char *role;
	const char *bio;
	bool verified;
	int64_t created_at;
	const char *avatar;	/* PNG blob, NULL: none */
};

struct store_comment {
	int64_t id;
	int64_t parent_id;	/* 0 = top level */
	int64_t user_id;
	const char *user_name;
	const char *body;
	int64_t created_at;
};

struct store_rank {
	int64_t id;
	const char *title;
	const char *format;
	int64_t count;
};

/* ---- documents ---------------------------------------------------------*/

int store_doc_get(struct store *s, struct arena *a, int64_t id,
		  struct store_doc *out);
/* Published documents, newest first; category_id 0 = every category. */
int store_doc_list(struct store *s, struct arena *a, int64_t category_id,
		   int limit, int offset, struct store_doc **out, size_t *n);
int64_t store_doc_count(struct store *s, int64_t category_id);
/* Insert a document with its blocks in one transaction. d->id is set. */
int store_doc_insert(struct store *s, struct store_doc *d,
		     const struct store_block *blocks, size_t nblocks);
/* Blocks whose char_start is below max_chars, in order. */
int store_doc_blocks(struct store *s, struct arena *a, int64_t doc_id,
		     int64_t max_chars, struct store_block **out, size_t *n);

/* Set a document's page count (LibreOffice's layout is better than a
 * file's own claim). Joins a surrounding write transaction. */
int store_doc_set_pages(struct store *s, int64_t id, int pages);
/* Id of a document (any status but removed) holding the blob sha256;
 * WK_ENOTFOUND when none does. */
int store_doc_by_sha256(struct store *s, const char *sha256, int64_t *id);
/* A document with these bytes that was taken down (status 'removed');
 * WK_ENOTFOUND when there is none. */
int store_doc_removed_by_sha256(struct store *s, const char *sha256,
				int64_t *id);
/* Every simhash of a document that is not removed: ids[i], hashes[i]. */
int store_doc_simhashes(struct store *s, struct arena *a, int64_t **ids,
			uint64_t **hashes, size_t *n);

/* ---- full-text search (fts.c, 0014_search.sql) -------------------------
 *
 * Documents are indexed (title and body) when inserted; searches keep
 * only published documents, checked at query time. */

enum store_price { STORE_PRICE_ANY, STORE_PRICE_FREE, STORE_PRICE_PAID,
		   STORE_PRICE_VIP_FREE };
enum store_sort { STORE_SORT_RELEVANCE, STORE_SORT_NEWEST, STORE_SORT_VIEWS,
		  STORE_SORT_DOWNLOADS };

struct store_search {
	const char *match;	/* FTS5 expression from search_query_fts() */
	int64_t category_id;	/* 0: any */
	const char *format;	/* NULL or "": any */
	int price;		/* enum store_price */
	int sort;		/* enum store_sort */
	int limit, offset;
};

struct store_search_hit {
	struct store_doc doc;	/* no sha256, description or provider */
	int title_hits;		/* phrases found in the title */
	double score;		/* relevance with popularity, higher better */
};

/* One page of published documents matching q, and how many match in
 * all. Relevance: title matches first, then bm25 (title weighted 10:1)
 * scaled up by views and downloads. */
int store_search(struct store *s, struct arena *a,
		 const struct store_search *q, struct store_search_hit **out,
		 size_t *n, int64_t *total);
/* The bare FTS5 query (bm25 order, no join, no filter): at most limit
 * ids; for benchmarks and tests. */
int store_search_raw(struct store *s, const char *match, int limit,
		     int64_t *ids, size_t *n);
/* Index document doc_id (its title and blocks); joins a surrounding
 * write transaction. */
int store_search_index(struct store *s, int64_t doc_id);
/* Rebuild the whole index; *n (may be NULL) documents indexed. */
int store_search_reindex(struct store *s, int64_t *n);

/* ---- page images ---------------------------------------------------------*/

struct store_image {
	const char *kind;	/* "page" or "cover" */
	int page;		/* from 1; 0 for the cover */
	const char *sha256;	/* the PNG's blob */
	int width, height;
};

/* Record an image of a document (its PNG already stored as a blob).
 * Joins a surrounding write transaction. */
int store_image_add(struct store *s, int64_t doc_id,
		    const struct store_image *img);
/* A document's page images with page <= max_page, in page order. */
int store_image_pages(struct store *s, struct arena *a, int64_t doc_id,
		      int max_page, struct store_image **out, size_t *n);
/* One image; WK_ENOTFOUND when the document has none of that kind and
 * page. */
int store_image_get(struct store *s, struct arena *a, int64_t doc_id,
		    const char *kind, int page, struct store_image *out);

/* ---- conversion jobs -----------------------------------------------------*/

struct store_job {
	int64_t id;
	const char *kind;	/* "convert" (default when NULL) or "pages" */
	const char *sha256;
	const char *filename;
	const char *batch;
	int64_t category_id;
	int64_t provider_id;
	int price;
	bool vip_free;
	bool publish;
	const char *status;	/* queued, running, done */
	const char *outcome;	/* when done: imported, duplicate,
				 * near-duplicate, rejected */
	const char *reason;
	int64_t doc_id;
	int attempts;
	const char *owner;
};

/* Add a job; when j->outcome is set it is recorded as done at once (an
 * exact duplicate needs no conversion). j->id is set. */
int store_job_add(struct store *s, struct store_job *j);
/* Claim the oldest queued job (of kind, or any kind when kind is NULL)
 * for owner until now + lease seconds.
 * Jobs already tried max_attempts times are finished as rejected with
 * a reason instead of being handed out. WK_ENOTFOUND when none waits. */
int store_job_claim(struct store *s, struct arena *a, const char *kind,
		    const char *owner, int64_t now, int lease,
		    int max_attempts, struct store_job *out);
/* Finish a job. Joins a surrounding write transaction. */
int store_job_finish(struct store *s, int64_t id, const char *outcome,
		     const char *reason, int64_t doc_id);
/* Put a running job back in the queue (its runner died). */
int store_job_requeue(struct store *s, int64_t id);
/* Running jobs: ids and owners. */
int store_job_running(struct store *s, struct arena *a,
		      struct store_job **out, size_t *n);
/* Done jobs of a batch with an id above after_id, oldest first (at most
 * limit), and how many of the batch are not done yet. */
int store_job_batch(struct store *s, struct arena *a, const char *batch,
		    int64_t after_id, int limit, struct store_job **out,
		    size_t *n, int64_t *pending);
int store_job_get(struct store *s, struct arena *a, int64_t id,
		  struct store_job *out);

struct store_job_counts {
	int64_t queued, running, imported, duplicate, near_duplicate,
		rejected;
};
/* Jobs by state, of one batch (NULL: all). */
int store_job_counts(struct store *s, const char *batch,
		     struct store_job_counts *c);

/* ---- counts for monitoring (stats.c) -----------------------------------*/

/* Document statuses and account roles, in the order of the arrays of
 * struct store_stats. */
#define STORE_DOC_STATUSES "pending", "published", "rejected", "removed", \
	"hidden"
#define STORE_NDOC_STATUSES 5
#define STORE_ROLES "reader", "provider", "moderator", "admin"
#define STORE_NROLES 4

struct store_stats {
	int64_t docs[STORE_NDOC_STATUSES];	/* documents by status */
	int64_t users[STORE_NROLES];	/* accounts by role */
	int64_t ledger_tx;		/* ledger transactions */
	int64_t issuance;		/* issuance balance (<= 0) */
	int64_t revenue;		/* revenue balance */
};
/* Fill out (in one read transaction when called inside one). Counting
 * reads an index of each table: milliseconds per 100,000 rows. */
int store_stats(struct store *s, struct store_stats *out);

/* ---- accounts and sessions ---------------------------------------------*/

struct store_account {
	int64_t id;
	const char *name;
	const char *display_name;
	const char *role;
	const char *status;		/* active, suspended, banned */
	const char *password_hash;	/* NULL: cannot sign in */
	int64_t suspended_until;
	int64_t password_changed_at;
	int64_t strikes;		/* live copyright strikes */
};

/* WK_ENOTFOUND when there is no such account. */
int store_account_by_name(struct store *s, struct arena *a, const char *name,
			  struct store_account *out);
int store_account_get(struct store *s, struct arena *a, int64_t id,
		      struct store_account *out);
/* Create an account; WK_ECONFLICT when the name is taken. */
int store_account_create(struct store *s, const char *name,
			 const char *display_name, const char *email,
			 const char *role, const char *password_hash,
			 int64_t *id);
int store_account_set_password(struct store *s, int64_t id,
			       const char *password_hash, int64_t now);
int store_account_set_role(struct store *s, int64_t id, const char *role);
/* status: active, suspended (until: 0 = indefinitely), banned. */
int store_account_set_status(struct store *s, int64_t id, const char *status,
			     int64_t until);
int store_account_set_profile(struct store *s, int64_t id,
			      const char *display_name, const char *bio);
int store_account_set_avatar(struct store *s, int64_t id,
			     const char *sha256);

struct store_session {
	int64_t user_id;
	int64_t created_at, last_seen_at, expires_at;
};

int store_session_create(struct store *s, const char *token_hash,
			 int64_t user_id, int64_t now, int64_t expires_at,
			 const char *ip, const char *user_agent);
/* WK_ENOTFOUND when there is no such session. */
int store_session_get(struct store *s, const char *token_hash,
		      struct store_session *out);
int store_session_touch(struct store *s, const char *token_hash,
			int64_t now);
int store_session_delete(struct store *s, const char *token_hash);
/* Every session of a user (password change, ban). */
int store_session_delete_user(struct store *s, int64_t user_id);

/* API tokens (hashes only). */
int store_token_add(struct store *s, int64_t user_id, const char *token_hash,
		    const char *name, int64_t *id);
/* The account of a token that is not revoked; WK_ENOTFOUND otherwise. */
int store_token_user(struct store *s, const char *token_hash,
		     int64_t *user_id);
int store_token_revoke(struct store *s, int64_t id);

/* A provider's uploads, newest first: jobs of kind convert with the
 * state of the document each made. */
struct store_upload {
	int64_t job_id;
	const char *filename;
	const char *status;	/* job: queued, running, done */
	const char *outcome;	/* when done */
	const char *reason;
	int64_t doc_id;
	const char *doc_status;	/* "" when no document */
	const char *title;
	int64_t created_at;
};
int store_uploads_of(struct store *s, struct arena *a, int64_t provider_id,
		     int limit, struct store_upload **out, size_t *n);

/* Real-name verification requests. */
struct store_verification {
	int64_t id;
	int64_t user_id;
	const char *user_name;
	const char *real_name;
	const char *id_masked;
	const char *status;	/* pending, approved, rejected */
	const char *reason;
	int64_t created_at;
};
/* WK_ECONFLICT when the number has a live (pending or approved)
 * request already. */
int store_verification_add(struct store *s, int64_t user_id,
			   const char *real_name, const char *id_masked,
			   const char *id_hash, int64_t *id);
/* The newest request of a user; WK_ENOTFOUND when none. */
int store_verification_latest(struct store *s, struct arena *a,
			      int64_t user_id, struct store_verification *out);
int store_verification_get(struct store *s, struct arena *a, int64_t id,
			   struct store_verification *out);
int store_verification_pending(struct store *s, struct arena *a, int limit,
			       struct store_verification **out, size_t *n);
/* Decide a pending request (approved sets the account's badge);
 * WK_ECONFLICT when it is not pending any more. Joins a write
 * transaction (or runs in its own). */
int store_verification_decide(struct store *s, int64_t id, bool approve,
			      const char *reason, int64_t moderator_id);

/* A site secret by name, created from fresh (hex) when missing: the
 * first caller's value wins. */
int store_secret(struct store *s, struct arena *a, const char *name,
		 const char *fresh, const char **value);
/* The same for a binary key of len bytes (<= 64): random bytes on first
 * use, the stored ones ever after. 0, WK_EIO or WK_ENOMEM. */
int store_secret_key(struct store *s, const char *name, unsigned char *key,
		     size_t len);

/* ---- categories, users, comments, fragments, settings -----------------*/

int store_category_list(struct store *s, struct arena *a,
			struct store_category **out, size_t *n);
int store_category_by_slug(struct store *s, struct arena *a,
			   const char *slug, struct store_category *out);
int store_category_insert(struct store *s, struct store_category *c);

int store_user_get(struct store *s, struct arena *a, int64_t id,
		   struct store_user *out);
int store_user_insert(struct store *s, struct store_user *u);
/* The id of the account named name; WK_ENOTFOUND when none. */
int store_user_id(struct store *s, const char *name, int64_t *id);

/* Visible comments on a document, oldest first. */
int store_comment_list(struct store *s, struct arena *a, int64_t doc_id,
		       struct store_comment **out, size_t *n);
int store_comment_insert(struct store *s, int64_t doc_id, int64_t user_id,
			 int64_t parent_id, const char *body, int64_t *id);
/* One comment with its document and status. */
int store_comment_get(struct store *s, struct arena *a, int64_t id,
		      struct store_comment *out, int64_t *doc_id,
		      const char **status);
int store_comment_set_status(struct store *s, int64_t id,
			     const char *status);

/* Fragment content for a slot; WK_ENOTFOUND when the slot is empty. */
int store_fragment_get(struct store *s, struct arena *a, const char *slot,
		       const char **content);
/* A slot's fragment with its format ("text" or "html");
 * WK_ENOTFOUND when the slot is empty. */
int store_fragment_read(struct store *s, struct arena *a, const char *slot,
			const char **format, const char **content);
struct store_fragment {
	const char *slot;
	const char *format;	/* text, html */
	const char *content;
};
/* Every slot that holds a fragment (one read for a whole page). */
int store_fragments_all(struct store *s, struct arena *a,
			struct store_fragment **out, size_t *n);
/* Store a slot's fragment (content already sanitized when html), by an
 * admin (0: none); joins the caller's write transaction. */
int store_fragment_write(struct store *s, const char *slot,
			 const char *format, const char *content,
			 int64_t by, int64_t now);
int store_fragment_set(struct store *s, const char *slot,
		       const char *content);

int store_setting_get(struct store *s, struct arena *a, const char *name,
		      const char **value);
int store_setting_set(struct store *s, const char *name, const char *value);
/* A hash of every stored setting, to notice changes made elsewhere. */
int store_settings_fingerprint(struct store *s, uint64_t *out);

/* ---- views and rankings --------------------------------------------------*/

/* Count a view of doc_id by visitor on day (days since the epoch), once
 * per visitor per document per day. *counted tells whether it was new. */
int store_view_record(struct store *s, int64_t doc_id, int day,
		      const char *visitor, bool *counted);
/* Most-viewed published documents from since_day on (since_day < 0: all
 * time, from the documents' counters). */
int store_rank_views(struct store *s, struct arena *a, int since_day,
		     int limit, struct store_rank **out, size_t *n);

/* ---- points ledger (see docs/ledger.md) --------------------------------
 *
 * Double entry: a transaction is 2..STORE_LEDGER_MAX_POSTINGS postings
 * on distinct accounts summing to zero. Postings and transactions are
 * append-only (the schema refuses UPDATE and DELETE); each account's
 * cached balance moves with its postings in the same transaction, and
 * no balance but issuance's may go below zero. Ledger writes commit
 * with synchronous=FULL. */

#define STORE_LEDGER_MAX_POSTINGS 16
#define STORE_LEDGER_MAX_AMOUNT 1000000000000000LL	/* per posting */
#define STORE_LEDGER_MAX_KEY 200			/* idem_key bytes */

struct store_posting {
	int64_t account_id;
	int64_t amount;		/* non-zero; negative = debit */
};

struct store_ledger_tx {
	const char *idem_key;		/* one transaction per key */
	const char *kind;		/* grant, purchase, reward, refund... */
	const char *request_hash;	/* of the operation's parameters */
	const char *memo;		/* NULL: "" */
	int64_t created_at;
	const struct store_posting *postings;
	size_t n;
	/* Called inside the transaction once every balance has moved, to
	 * make the reply stored with the key (it may read balances). NULL:
	 * the reply is {"tx":N}. */
	int (*reply)(struct store *s, void *arg, int64_t tx_id,
		     struct arena *a, const char **out);
	void *arg;
};

/* Open a write transaction (BEGIN IMMEDIATE) whose commit is durable
 * (synchronous=FULL on this connection until it ends), for callers that
 * put ledger postings and other writes in one transaction. End it with
 * store_write_commit() or store_write_rollback(). WK_EINVAL inside
 * another transaction. */
int store_ledger_begin(struct store *s);

/* The id of the account of kind ("user", "revenue", "issuance") and
 * user_id (0 for the system accounts), created first when create is
 * true; WK_ENOTFOUND when it is missing and create is false. Joins a
 * surrounding write transaction. */
int store_ledger_account(struct store *s, const char *kind, int64_t user_id,
			 bool create, int64_t *id);
/* An account's cached balance; WK_ENOTFOUND when no such account. */
int store_ledger_balance(struct store *s, int64_t account_id,
			 int64_t *balance);

/* Post t, all or nothing, in its own ledger transaction or in one
 * opened by store_ledger_begin() (a savepoint undoes a failure).
 *  - idem_key already used with the same request_hash: nothing is
 *    posted; *reply is the stored first reply, *replayed true.
 *  - idem_key used with another request_hash: WK_ECONFLICT.
 *  - postings malformed or not summing to zero: WK_EINVAL.
 *  - an account would go below zero (or past +-10^18): WK_EFORBIDDEN.
 *  - an account does not exist: WK_ENOTFOUND.
 * *reply is in a, *tx_id (may be NULL) is the transaction's id. */
int store_ledger_post(struct store *s, struct arena *a,
		      const struct store_ledger_tx *t, const char **reply,
		      bool *replayed, int64_t *tx_id);

/* One posting on a user's account, newest first (store_ledger_history). */
struct store_ledger_entry {
	int64_t tx;
	int64_t created_at;
	int64_t amount;		/* + points in, - points out */
	const char *kind;	/* grant, purchase, ... */
	const char *memo;	/* what it was for */
};

/* The newest limit postings on user_id's account; *n 0 for a user who
 * never had points. Joins a surrounding transaction. */
int store_ledger_history(struct store *s, struct arena *a, int64_t user_id,
			 int limit, struct store_ledger_entry **out,
			 size_t *n);

/* ---- redemption codes (0010_codes.sql) ---- */

/* Record count codes (their sha256 hex in hashes) of one batch in one
 * transaction. WK_ECONFLICT if a hash exists already (nothing added). */
int store_codes_add(struct store *s, const char *batch, int64_t points,
		    int64_t vip_plan_id, int64_t expires_at, int64_t now,
		    const char *const *hashes, size_t count);
/* A code by hash: its points (0 for a VIP code), VIP plan (0 for a
 * points code) and expiry. WK_ENOTFOUND when unknown. */
int store_code_get(struct store *s, const char *hash, int64_t *points,
		   int64_t *vip_plan_id, int64_t *expires_at,
		   int64_t *voided_at);

/* A batch of codes (the codes of one batch name, 0020: voided_at). id:
 * its first code's id, which names it in the console. */
struct store_code_batch {
	int64_t id;
	const char *name;
	int64_t points;		/* 0 for VIP codes */
	int64_t vip_plan_id;	/* 0 for points codes */
	const char *plan_name;
	int64_t count, redeemed;
	int64_t expires_at, created_at;
	int64_t voided_at;	/* 0: not voided */
};
/* Batches, newest first. */
int store_code_batches(struct store *s, struct arena *a, int offset,
		       int limit, struct store_code_batch **out, size_t *n,
		       bool *more);
/* The batch whose id is id; WK_ENOTFOUND. */
int store_code_batch_get(struct store *s, struct arena *a, int64_t id,
			 struct store_code_batch *out);
/* WK_ECONFLICT when a batch of that name exists, else 0. */
int store_code_batch_exists(struct store *s, const char *name);
/* The id of the batch named name; WK_ENOTFOUND. */
int store_code_batch_id(struct store *s, const char *name, int64_t *id);
/* Mark every code of the batch voided at now; WK_ECONFLICT when none
 * was left to void. */
int store_code_batch_void(struct store *s, const char *name, int64_t now);

struct store_code_redemption {
	int64_t user_id;
	const char *user_name;
	int64_t at;
	int64_t points;		/* points codes */
	int64_t vip_plan_id;	/* VIP codes */
};
/* Who redeemed the codes of a batch and when, newest first, at most
 * limit (1..10000). */
int store_code_redemptions(struct store *s, struct arena *a,
			   const char *batch, int limit,
			   struct store_code_redemption **out, size_t *n);

/* ---- password resets (0020) ---- */

/* A reset link's token hash for user_id, made by created_by. */
int store_reset_add(struct store *s, const char *token_hash,
		    int64_t user_id, int64_t created_by, int64_t expires_at,
		    int64_t now);
/* WK_ENOTFOUND for an unknown hash; *used_at 0 when unused. */
int store_reset_get(struct store *s, const char *token_hash,
		    int64_t *user_id, int64_t *expires_at, int64_t *used_at);
/* Mark it used at now: WK_ECONFLICT when it was used or expired. */
int store_reset_use(struct store *s, const char *token_hash, int64_t now);

/* user_id's posting in the transaction of idem_key (*amount; 0 when
 * the key is unused or the user has no posting in it). */
int store_ledger_user_amount(struct store *s, const char *idem_key,
			     int64_t user_id, int64_t *amount);
/* How many of user_id's transactions with this memo were made in the
 * day (86,400 s) from since. */
int store_ledger_count_memo(struct store *s, int64_t user_id,
			    const char *memo, int64_t since, int64_t *n);

/* ---- backups (backup.c) ---- */

struct store_backup_stats {
	int64_t blobs;		/* blob files copied or checked */
	int64_t bytes;		/* their bytes */
	int64_t db_bytes;	/* the database file's size */
	bool moved_aside;	/* restore --force: the old library kept */
	char aside[4200];	/* ... in this folder */
};

/* Copy the library into dest (a new or empty folder) while it serves:
 * dest/wenku.db, one consistent snapshot by SQLite's online backup,
 * then every blob it names with its SHA-256 checked, then an integrity
 * check of the copy. 0, or an error with a message in err. */
int store_backup(struct store *s, const char *dest,
		 struct store_backup_stats *st, char *err, size_t errlen);
/* Check a backup folder: the database's integrity and every blob it
 * names present with the right hash. */
int store_backup_verify(const char *src, struct store_backup_stats *st,
			char *err, size_t errlen);
/* Put the backup in src into the data folder data, which no server may
 * be using (WK_ECONFLICT). A folder holding a library is refused, or
 * with force moved aside into data/pre-restore-<time>/ first. The backup
 * is verified whole before anything changes. */
int store_restore(const char *src, const char *data, bool force,
		  struct store_backup_stats *st, char *err, size_t errlen);
/* Take the data folder's lock (data/wenku.lock), held by `wenku serve`
 * for its lifetime: the descriptor, or -1 when another process holds
 * it. */
int store_lock_data(const char *data);

/* ---- an account's own records (mine.c) ---- */

struct store_mine {
	int64_t id;		/* the entitlement's or download's id */
	int64_t doc_id;
	const char *title;
	int64_t amount;		/* points paid (purchases; 0 for downloads) */
	int64_t created_at;
	const char *license_text;	/* the licence agreed to at purchase
					 * ("" for downloads) */
};

/* The newest limit purchases / downloads of user_id (documents since
 * removed included: a purchase stays the buyer's record). */
int store_purchases_of(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_mine **out, size_t *n);
int store_downloads_of(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_mine **out, size_t *n);

/* ---- VIP membership (0012_vip.sql) ---- */

struct store_vip_plan {
	int64_t id;
	const char *name;
	const char *name_en;
	int days;
	int64_t price;		/* points */
	int daily_quota;	/* VIP-free downloads per China day */
	int discount;		/* percent off paid documents, 0..90 */
	bool active;		/* on sale */
	int position;		/* order on the VIP page */
};

/* Plans by position (only those on sale when active_only). */
int store_vip_plans(struct store *s, struct arena *a, bool active_only,
		    struct store_vip_plan **out, size_t *n);
/* WK_ENOTFOUND when there is no such plan. */
int store_vip_plan_get(struct store *s, struct arena *a, int64_t id,
		       struct store_vip_plan *out);
/* Add a plan (id ignored); WK_EINVAL when out of bounds. */
int store_vip_plan_add(struct store *s, const struct store_vip_plan *p,
		       int64_t now, int64_t *id);
/* Put a plan on sale or take it off (members keep their time). */
int store_vip_plan_set_active(struct store *s, int64_t id, bool active);
/* Change a plan's name, names, days, price, quota, discount and position
 * (not whether it is on sale); the bounds of store_vip_plan_add.
 * WK_EINVAL, WK_ENOTFOUND. Periods already recorded keep their terms. */
int store_vip_plan_update(struct store *s, const struct store_vip_plan *p);
/* How much a plan is used: members whose current period is of the plan
 * at now, and periods ever recorded of it (bought, granted, redeemed). */
struct store_vip_plan_use {
	int64_t plan_id;
	int64_t members;
	int64_t periods;
};
/* The use of every plan that has periods (at most 100 rows, in a). */
int store_vip_plan_uses(struct store *s, struct arena *a, int64_t now,
			struct store_vip_plan_use **out, size_t *n);

struct store_vip_period {
	int64_t id;
	int64_t user_id;
	int64_t plan_id;
	int64_t starts_at;
	int64_t ends_at;
	const char *source;	/* buy, grant, code */
	int daily_quota;	/* the plan's terms when the period was */
	int discount;		/* recorded (kept when the plan changes) */
};

/* The period of user_id covering now (cur->id 0 when none) and the end
 * of the member's last period (*until, 0 when never a member). */
int store_vip_current(struct store *s, int64_t user_id, int64_t now,
		      struct store_vip_period *cur, int64_t *until);
/* Record a period (with its quota and discount) under idem_key, joining
 * the caller's transaction.
 * tx_id: the purchase (0 for a grant or code); granted_by: the admin (0:
 * none). WK_ECONFLICT when the key has a period already. */
int store_vip_period_add(struct store *s, const struct store_vip_period *p,
			 int64_t tx_id, int64_t granted_by,
			 const char *idem_key, int64_t now);
/* The period recorded under idem_key; WK_ENOTFOUND when none. */
int store_vip_period_by_key(struct store *s, const char *idem_key,
			    struct store_vip_period *out);
/* VIP-free downloads of user_id on China day: *count documents, and
 * whether doc_id is one of them (*counted). */
int store_vip_used(struct store *s, int64_t user_id, int64_t day,
		   int64_t doc_id, int *count, bool *counted);
/* Count doc_id against user_id's quota of day (joins the caller's
 * transaction). */
int store_vip_download_add(struct store *s, int64_t user_id, int64_t doc_id,
			   int64_t day, int64_t now);

/* ---- entitlements and downloads (0011_entitlements.sql) ---- */

/* Record that user_id bought doc_id in ledger transaction tx_id; joins
 * the caller's ledger transaction. WK_ECONFLICT when already bought. */
int store_entitlement_add(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t tx_id, int64_t price,
			  const char *license_text, int64_t now);
/* 0 when user_id holds an entitlement to doc_id (*tx_id its purchase),
 * WK_ENOTFOUND when not. */
int store_entitlement_get(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t *tx_id);
/* One logged download, for `wenku trace`. */
struct store_download {
	int64_t id, user_id, doc_id, created_at;
	const char *user_name;	/* "" for a guest */
	const char *doc_title;
	const char *ip;
};
/* WK_ENOTFOUND when there is no download id. */
int store_download_get(struct store *s, struct arena *a, int64_t id,
		       struct store_download *out);
/* Log a download (user_id 0: a guest) and count it on the document. */
int store_download_add(struct store *s, int64_t user_id, int64_t doc_id,
		       const char *ip, int64_t now, int64_t *download_id);

/* Prove the ledger's invariants on one snapshot: every transaction has
 * postings summing to zero, all postings sum to zero, every cached
 * balance equals the sum of its postings, no balance but issuance's is
 * negative, one transaction per key. 0 when all hold; WK_ECONFLICT with
 * the first violation described in err; WK_EIO when the database
 * failed. Not inside a transaction. */
int store_ledger_check(struct store *s, char *err, size_t errlen);

/* This thread's connection's PRAGMA synchronous (1 NORMAL, 2 FULL);
 * for tests. */
int store_sync_level(struct store *s);

/* ---- idempotent replies (0013_idempotent_replies.sql) ------------------
 *
 * One row per (account, Idempotency-Key): claimed 'pending' by its
 * owner (a server process), then 'done' with the reply (domain/idem.h). */

struct store_idem {
	int64_t id;
	const char *fingerprint;	/* sha256 hex of the request */
	bool done;			/* false: pending */
	const char *owner;
	int status;			/* done: the reply */
	const char *body;
	size_t body_len;
	int64_t download_id;		/* 0: none */
	int64_t created_at;
};

/* Claim (user_id, key) for owner: 0 with *id when the row is new,
 * WK_ECONFLICT when the key has a row already. */
int store_idem_insert(struct store *s, int64_t user_id, const char *key,
		      const char *fingerprint, const char *owner,
		      int64_t now, int64_t *id);
/* The row of (user_id, key); WK_ENOTFOUND when none. */
int store_idem_get(struct store *s, struct arena *a, int64_t user_id,
		   const char *key, struct store_idem *out);
/* Take a pending row over from old_owner (dead, or too slow): 0, or
 * WK_ECONFLICT when it is no longer pending under old_owner. */
int store_idem_takeover(struct store *s, int64_t id, const char *old_owner,
			const char *owner, int64_t now);
/* Record owner's reply on its pending row, durably (synchronous=FULL):
 * 0, or WK_ECONFLICT when the row is not owner's pending row any more. */
int store_idem_finish(struct store *s, int64_t id, const char *owner,
		      int status, const char *body, size_t len,
		      int64_t download_id);
/* Delete row id if owner (NULL: anyone) holds it and it was created at
 * created_at (0: any time). 0 whether or not a row went. */
int store_idem_delete(struct store *s, int64_t id, const char *owner,
		      int64_t created_at);
/* Delete every row created before before; *n (may be NULL) how many. */
int store_idem_purge(struct store *s, int64_t before, int64_t *n);

/* ---- blobs -------------------------------------------------------------*/

/* Store data content-addressed (dir/blobs/ab/cd/<sha256>), written to a
 * temporary file, synced and renamed into place, and recorded in the
 * blobs table. hex receives the 64-character sha256 plus NUL. Storing
 * the same bytes twice is not an error. */
int store_blob_put(struct store *s, const void *data, size_t len,
		   char hex[65]);
/* Bulk mode for one thread's batch: while deferred, store_blob_put()
 * skips its per-file syncs; store_blob_sync() then syncs the whole blob
 * file system once and leaves bulk mode. Nothing stored in bulk mode
 * may be acknowledged before store_blob_sync() returns 0. */
void store_blob_defer_sync(struct store *s);
int store_blob_sync(struct store *s);

/* Read a stored blob into a malloc'd buffer (*data, *len), at most max
 * bytes. WK_ENOTFOUND, WK_ETOOBIG or WK_EIO on failure. */
int store_blob_read(struct store *s, const char *hex, size_t max,
		    unsigned char **data, size_t *len);
/* Path of a stored blob (written into path, pathlen bytes). */
int store_blob_path(struct store *s, const char *hex, char *path,
		    size_t pathlen);

/* ---- reports, strikes, moderated comments, audit log (reports.c) -------*/

struct store_report {
	int64_t id;
	int64_t doc_id;
	const char *doc_title;		/* joined */
	const char *doc_status;		/* joined */
	int64_t provider_id;		/* the document's; 0 = none */
	const char *reason;	/* copyright, secret, illegal, porn, spam, other */
	const char *details;
	int64_t reporter_id;		/* 0 = not signed in */
	const char *reporter_name;	/* joined; NULL when anonymous */
	const char *reporter_ip;
	const char *claimant_name, *claimant_contact, *proof;
	const char *status;	/* open, dismissed, hidden, removed, restored */
	const char *note;		/* the moderator's reason */
	int64_t decided_by, decided_at;
	const char *counter_text;	/* the provider's counter-notice */
	int64_t counter_at;		/* 0 = none */
	int64_t created_at;
};

/* Insert r (its id, doc_id ... proof, created_at); *id set. */
int store_report_add(struct store *s, const struct store_report *r,
		     int64_t *id);
int store_report_get(struct store *s, struct arena *a, int64_t id,
		     struct store_report *out);
/* Reports newest first; status NULL (any), a status, or "counter"
 * (removed with a counter-notice); reason NULL for any. */
int store_report_list(struct store *s, struct arena *a, const char *status,
		      const char *reason, int limit,
		      struct store_report **out, size_t *n);
/* The newest report of doc_id whose status is status; WK_ENOTFOUND. */
int store_report_latest(struct store *s, struct arena *a, int64_t doc_id,
			const char *status, struct store_report *out);
/* Move report id from status from to to with the moderator's note;
 * WK_ECONFLICT when it is not in from. Joins a write transaction. */
int store_report_move(struct store *s, int64_t id, const char *from,
		      const char *to, const char *note, int64_t moderator_id,
		      int64_t now);
/* Record a counter-notice on a removed report without one;
 * WK_ECONFLICT otherwise. Joins a write transaction. */
int store_report_counter(struct store *s, int64_t id, const char *text,
			 int64_t now);
/* Move document id from status from to to (publishing sets
 * published_at when it has none); WK_ECONFLICT when it is not in from.
 * Joins a write transaction. */
int store_doc_move(struct store *s, int64_t id, const char *from,
		   const char *to, int64_t now);

/* A strike against user_id for doc_id (at most one live per document:
 * WK_ECONFLICT); lifting one lifts the document's live strike (*lifted
 * tells whether there was one). Both join a write transaction. */
int store_strike_add(struct store *s, int64_t user_id, int64_t doc_id,
		     int64_t report_id, int64_t now);
int store_strike_lift(struct store *s, int64_t doc_id, int64_t now,
		      int64_t *user_id, bool *lifted);
/* Live strikes of a user. */
int store_strike_count(struct store *s, int64_t user_id, int64_t *n);

/* A comment with its document and status, for the moderation queue. */
struct store_mod_comment {
	struct store_comment c;
	int64_t doc_id;
	const char *doc_title;
	const char *status;	/* pending, visible, hidden, deleted */
};
/* Insert a comment with status (visible or pending); *id set. */
int store_comment_add(struct store *s, int64_t doc_id, int64_t user_id,
		      int64_t parent_id, const char *body, const char *status,
		      int64_t *id);
/* Comments of a status (NULL: any but deleted), newest first. */
int store_comment_queue(struct store *s, struct arena *a, const char *status,
			int limit, struct store_mod_comment **out, size_t *n);
/* Move comment id from status from to to; WK_ECONFLICT when it is not
 * in from. Joins a write transaction. */
int store_comment_move(struct store *s, int64_t id, const char *from,
		       const char *to);

/* One in-site notification (0022_notifications.sql, domain/notify.h):
 * the event's parameters, rendered in the reader's language when shown. */
struct store_notification {
	int64_t id;
	int64_t user_id;		/* the recipient */
	const char *kind;		/* notify_kind_name() */
	const char *object_type;	/* "document", "report"... */
	int64_t object_id;
	int64_t doc_id;			/* the document linked; 0: none */
	const char *subject;		/* the document's title then */
	const char *note;		/* a moderator's reason */
	int64_t amount;			/* points */
	int64_t created_at;
	int64_t read_at;		/* 0: unread */
};
/* Append n (user_id ... created_at), then delete the recipient's rows
 * older than their newest keep. Joins a write transaction (or runs in
 * its own). */
int store_notify_add(struct store *s, const struct store_notification *n,
		     int keep);
/* user_id's notifications newest first (unread_only: read_at NULL),
 * limit rows from offset. Rows in a. */
int store_notify_list(struct store *s, struct arena *a, int64_t user_id,
		      bool unread_only, int limit, int offset,
		      struct store_notification **out, size_t *n);
/* How many of user_id's notifications are unread (one indexed count). */
int store_notify_unread(struct store *s, int64_t user_id, int64_t *count);
/* Mark user_id's notification id read at now (kept when already read);
 * WK_ENOTFOUND when user_id has no such notification. */
int store_notify_read(struct store *s, int64_t user_id, int64_t id,
		      int64_t now);
/* Mark all of user_id's unread notifications read; *changed how many. */
int store_notify_read_all(struct store *s, int64_t user_id, int64_t now,
			  int64_t *changed);

/* One entry of the append-only audit log. */
struct store_audit {
	int64_t id;
	int64_t at;
	int64_t actor_id;		/* 0 = the system */
	const char *actor_name;		/* joined; NULL for the system */
	const char *action;
	const char *object_type;
	int64_t object_id;
	const char *before, *after, *note;
};
/* Append e (at, actor_id ... note). Joins a write transaction. */
int store_audit_add(struct store *s, const struct store_audit *e);
/* Entries newest first; object_type NULL for every object, object_id 0
 * for every object of the type. */
int store_audit_list(struct store *s, struct arena *a,
		     const char *object_type, int64_t object_id, int limit,
		     struct store_audit **out, size_t *n);
/* ---- discovery: tags, favourites, history, rankings (discover.c) -------
 *
 * Everything here that lists documents for readers lists published
 * ones only (documents.status = 'published'). */

struct store_tag {
	int64_t id;
	const char *name;
	int64_t count;		/* published documents carrying it */
};

/* Give doc_id the tags names[0..n) (created when new), recording where
 * they came from: "provider" or "keyword". A tag the document has
 * already keeps its first source. Joins a surrounding write
 * transaction. */
int store_tags_attach(struct store *s, int64_t doc_id,
		      const char *const *names, size_t n, const char *source);
/* Make names[0..n) (n <= STORE_DOC_TAGS_MAX, else WK_EINVAL) the
 * document's whole set of tags: a tag it had keeps its source, a new one
 * is the provider's ("provider"), the others go. Joins a surrounding
 * write transaction. */
#define STORE_DOC_TAGS_MAX 10
int store_doc_tags_replace(struct store *s, int64_t doc_id,
			   const char *const *names, size_t n);
/* A document's tags, provider's first, then by name. */
int store_doc_tags(struct store *s, struct arena *a, int64_t doc_id,
		   struct store_tag **out, size_t *n);
/* One tag by name with its count; WK_ENOTFOUND when none. */
int store_tag_by_name(struct store *s, struct arena *a, const char *name,
		      struct store_tag *out);
/* Published documents with a tag, newest first. */
int store_tag_docs(struct store *s, struct arena *a, int64_t tag_id,
		   int limit, int offset, struct store_doc **out, size_t *n);
/* The tags most published documents carry. */
int store_tags_popular(struct store *s, struct arena *a, int limit,
		       struct store_tag **out, size_t *n);
/* The tags a provider typed for a job (one line, comma-separated),
 * kept until the job's document is committed. Set joins a surrounding
 * write transaction; get answers "" when there are none. */
int store_job_tags_set(struct store *s, int64_t job_id, const char *tags);
int store_job_tags_get(struct store *s, struct arena *a, int64_t job_id,
		       const char **tags);

/* Favourite (收藏) doc_id for user_id, or undo it: *on tells the state
 * after the call. */
int store_favorite_toggle(struct store *s, int64_t user_id, int64_t doc_id,
			  int64_t now, bool *on);
int store_favorite_has(struct store *s, int64_t user_id, int64_t doc_id,
		       bool *on);
/* A reader's favourite published documents, newest favourite first. */
int store_favorites(struct store *s, struct arena *a, int64_t user_id,
		    int limit, int offset, struct store_doc **out, size_t *n);
int64_t store_favorite_count(struct store *s, int64_t user_id);

/* Record that user_id opened doc_id at now (the latest visit replaces an
 * earlier one), keeping only the user's newest keep entries. */
int store_history_add(struct store *s, int64_t user_id, int64_t doc_id,
		      int64_t now, int keep);
/* A reader's history of published documents, newest first; (*at)[i] is
 * when (*out)[i] was opened. */
int store_history(struct store *s, struct arena *a, int64_t user_id,
		  int limit, struct store_doc **out, int64_t **at, size_t *n);

/* Most-downloaded published documents from since on (Unix seconds;
 * since < 0: all time). A downloader counts once per document per
 * window (guests: each download). */
int store_rank_downloads(struct store *s, struct arena *a, int64_t since,
			 int limit, struct store_rank **out, size_t *n);

/* Published documents published at or after since, newest first. */
int store_doc_published_since(struct store *s, struct arena *a,
			      int64_t since, int limit,
			      struct store_doc **out, size_t *n);
/* Other published documents of a provider, newest first. */
int store_doc_by_provider(struct store *s, struct arena *a,
			  int64_t provider_id, int64_t exclude_id, int limit,
			  struct store_doc **out, size_t *n);
/* Published documents of a category with a simhash, but exclude_id:
 * the newest limit of them, ids[i] and hashes[i]. */
int store_doc_simhash_peers(struct store *s, struct arena *a,
			    int64_t category_id, int64_t exclude_id, int limit,
			    int64_t **ids, uint64_t **hashes, size_t *n);

/* A sitemap's rows: published documents in id order. */
struct store_url {
	int64_t id;
	int64_t lastmod;	/* published (or created) at */
};
/* Rows offset..offset+limit of the published documents by id. */
int store_sitemap_urls(struct store *s, struct arena *a, int64_t offset,
		       int limit, struct store_url **out, size_t *n);
/* The newest lastmod among the same rows (0 when there are none). */
int store_sitemap_lastmod(struct store *s, int64_t offset, int limit,
			  int64_t *lastmod);

/* ---- the operator console (admin.c) --------------------------------------*/

/* What the dashboard counts per China day (UTC+8). */
enum store_admin_metric {
	STORE_ADMIN_UPLOADS,	/* conversion jobs created */
	STORE_ADMIN_PUBLISHED,	/* documents published */
	STORE_ADMIN_VIEWS,	/* doc_view_days */
	STORE_ADMIN_DOWNLOADS,	/* the downloads log */
	STORE_ADMIN_SIGNUPS,	/* users created */
	STORE_ADMIN_ISSUED,	/* points out of issuance (grants) */
	STORE_ADMIN_SPENT,	/* points users paid (purchases, VIP) */
	STORE_ADMIN_METRICS
};
/* Add metric's counts of China days first_day .. first_day + ndays - 1
 * (day numbers as rank_day()) to out[day - first_day]. */
int store_admin_daily(struct store *s, enum store_admin_metric metric,
		      int first_day, int ndays, int64_t *out);

/* The sizes of the work queues. */
struct store_admin_queues {
	int64_t jobs_queued, jobs_failed, docs_pending, reports_open,
		comments_pending, verifications_pending;
};
int store_admin_queues(struct store *s, struct store_admin_queues *q);

/* An account as the console lists it. */
struct store_admin_user {
	int64_t id;
	const char *name, *display_name, *role, *status;
	int64_t suspended_until;	/* 0: none or indefinitely */
	int64_t created_at;
	bool verified;
};
/* Accounts whose name or display name contains q (taken literally:
 * % and _ match themselves; "" for all), newest first, rows
 * offset..offset+limit (limit 1..200); *more set when more follow. */
int store_admin_users(struct store *s, struct arena *a, const char *q,
		      int offset, int limit, struct store_admin_user **out,
		      size_t *n, bool *more);
int store_admin_user_get(struct store *s, struct arena *a, int64_t id,
			 struct store_admin_user *out);
/* A provider's documents in every state, newest first (at most limit). */
int store_admin_user_docs(struct store *s, struct arena *a, int64_t user_id,
			  int limit, struct store_doc **out, size_t *n);
/* A user's newest comments in every state (status in out[i].status). */
struct store_admin_comment {
	struct store_comment c;
	int64_t doc_id;
	const char *doc_title;
	const char *status;
};
int store_admin_user_comments(struct store *s, struct arena *a,
			      int64_t user_id, int limit,
			      struct store_admin_comment **out, size_t *n);

/* A sign-in session as the console shows it (never its token). */
struct store_admin_session {
	int64_t created_at, last_seen_at, expires_at;
	const char *ip;		/* "" when not stored */
	const char *user_agent;	/* "" when not stored */
};
/* user_id's sessions not yet past their absolute end at now, the most
 * recently seen first (at most limit, 1..1000). */
int store_admin_sessions(struct store *s, struct arena *a, int64_t user_id,
			 int64_t now, int limit,
			 struct store_admin_session **out, size_t *n);
/* An API token as the console shows it (its name, never the token). */
struct store_admin_token {
	int64_t id;
	const char *name;
	int64_t created_at;
	int64_t revoked_at;	/* 0: live */
};
/* user_id's API tokens, newest first (at most limit, 1..1000). */
int store_admin_tokens(struct store *s, struct arena *a, int64_t user_id,
		       int limit, struct store_admin_token **out, size_t *n);

/* Audit entries newest first, filtered by actor name (exact; "" any),
 * action (a prefix, taken literally; "" any) and object type and id
 * ("" and 0: any), rows offset..offset+limit; *more when more follow. */
int store_admin_audit(struct store *s, struct arena *a, const char *actor,
		      const char *action, const char *object_type,
		      int64_t object_id, int offset, int limit,
		      struct store_audit **out, size_t *n, bool *more);

/* A conversion job that failed (done, rejected), with when it ended. */
struct store_admin_job {
	struct store_job j;
	int64_t created_at, updated_at;
};
/* Failed jobs newest first, rows offset..offset+limit. */
int store_admin_jobs_failed(struct store *s, struct arena *a, int offset,
			    int limit, struct store_admin_job **out,
			    size_t *n, bool *more);
/* Put failed job id back in the queue (attempts reset). WK_ENOTFOUND
 * for no such job, WK_ECONFLICT when it is not a failed job. Joins a
 * write transaction. */
int store_admin_job_retry(struct store *s, int64_t id, int64_t now);

/* The console's review queue (review.c, migration 0019). */
struct store_review_doc {
	struct store_doc doc;		/* doc.near_dup_of set */
	const char *provider_name;	/* display name; "" for none */
	const char *near_dup_title;	/* "" for none */
	const char *review_note;	/* why it was rejected or removed */
	int64_t recommended_at;		/* 0: not on the home page */
};
enum store_review_which {
	REVIEW_PENDING,		/* oldest first */
	REVIEW_PUBLISHED,	/* newest first */
	REVIEW_BIN,		/* removed, hidden, rejected; newest first */
};
/* Documents for the console, with q ("" or NULL: any) somewhere in the
 * title; *more when there are others after. */
int store_review_list(struct store *s, struct arena *a,
		      enum store_review_which which, const char *q, int offset,
		      int limit, struct store_review_doc **out, size_t *n,
		      bool *more);
/* Set the note shown to a document's provider ("" clears it). Joins a
 * write transaction. */
int store_doc_note(struct store *s, int64_t id, const char *note);
/* Any document, whatever its status. WK_ENOTFOUND. */
int store_review_get(struct store *s, struct arena *a, int64_t id,
		     struct store_review_doc *out);
/* A pending document's title, category (0: none), price and VIP-free,
 * the search index following the title; WK_ECONFLICT when it is not
 * pending. Joins a write transaction. */
int store_doc_edit(struct store *s, int64_t id, const char *title,
		   int64_t category_id, int price, bool vip_free);
/* Pin a published document to the home page at time at, or unpin it
 * (at 0); WK_ECONFLICT when nothing changes. */
int store_doc_recommend(struct store *s, int64_t id, int64_t at);
/* Pinned published documents, the newest pin first. */
int store_doc_recommended(struct store *s, struct arena *a, int limit,
			  struct store_doc **out, size_t *n);

#endif
