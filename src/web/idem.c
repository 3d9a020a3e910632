/*
 * idem.c - the Idempotency-Key header on API calls that spend or move
 * points (purchase, download, code redemption): web_idempotent() wraps
 * a handler, the rules are in domain/idem.c.
 *
 * Keys belong to signed-in accounts: a guest's header is refused (401),
 * since an address is no identity (NAT, proxies). The reply recorded is
 * the handler's status and JSON body; for a served download only the
 * download id, and a replay serves the same stamped copy again under
 * that id without logging a new download. 5xx and 429 replies are not
 * recorded: the key is given back, and a retry runs the operation.
 */
#include "web_internal.h"

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../domain/idem.h"
#include "../store/store.h"

#include <inttypes.h>
#include <time.h>

struct web_idem *web_idem_of(struct http_req *rq)
{
	return rq->app_data;
}

/* Replay a recorded JSON reply. */
static int replay(struct http_resp *rs, const struct idem_claim *c)
{
	buf_reset(&rs->body);
	buf_add(&rs->body, c->body, c->body_len);
	web_api_json(rs, c->status, &rs->body);
	http_resp_header(rs, "Idempotent-Replayed", "true");
	return 0;
}

int web_idempotent(struct http_req *rq, struct http_resp *rs, void *ctx,
		   bool csrf, http_handler fn)
{
	struct web_app *app = ctx;
	const char *key = http_header(rq, "Idempotency-Key");
	struct web_idem idem = { 0 };
	enum idem_outcome oc;
	struct idem_claim c;
	struct auth_user u;
	char fp[65];
	int status, rc;

	if (!key)
		return fn(rq, rs, ctx);
	if (!idem_key_ok(key))
		return web_api_fail(rs, 400, "bad_idempotency_key");
	if (csrf) {
		if (!web_api_session(app, rq, rs, &u))
			return 0;
	} else {
		const char *tok;
		bool bearer;
		if (!web_api_user(app, rq, rs, &u, &bearer, &tok))
			return 0;
		if (!u.id)
			return web_api_fail(rs, 401, "not_signed_in");
	}
	idem_fingerprint(rq->method, rq->path, rq->body.data, rq->body.len,
			 fp);
	rc = idem_claim(app->store, rq->arena, u.id, key, fp,
			(int64_t)time(NULL), IDEM_WAIT_MS, &oc, &c);
	if (rc)
		return web_api_fail(rs, 503, "unavailable");
	if (oc == IDEM_REUSED)
		return web_api_fail(rs, 409, "idempotency_key_reused");
	if (oc == IDEM_BUSY)
		return web_api_fail(rs, 409, "idempotency_key_in_progress");
	rq->app_data = &idem;
	if (oc == IDEM_REPLAY) {
		if (!c.download_id)
			return replay(rs, &c);
		/* A download: the same copy again, checked again. */
		idem.download_id = c.download_id;
		status = fn(rq, rs, ctx);
		rq->app_data = NULL;
		if (!status && rs->status == 200)
			http_resp_header(rs, "Idempotent-Replayed", "true");
		return status;
	}
	status = fn(rq, rs, ctx);
	rq->app_data = NULL;
	if (status || rs->status >= 500 || rs->status == 429) {
		if (idem_release(app->store, &c))
			log_error("cannot give idempotency key back (user %"
				  PRId64 ")", u.id);
		return status;
	}
	/* A download's body is the file: keep its id, not its bytes. */
	if (idem.download_id)
		rc = idem_finish(app->store, &c, rs->status, "", 0,
				 idem.download_id);
	else
		rc = idem_finish(app->store, &c, rs->status,
				 rs->body.data ? rs->body.data : "",
				 rs->body.len, 0);
	if (rc) {
		/* The operation is done: say so; a retry runs it again
		 * (purchases and codes are once-only by their ledger keys). */
		log_error("cannot record the idempotent reply (user %" PRId64
			  "): %s", u.id, wk_strerror(rc));
		idem_release(app->store, &c);
	}
	return 0;
}
