/*
 * vip.c - `wenku vip`: VIP plans and memberships from the command line.
 *
 *   wenku vip plans [--all]                  plans on sale (--all: every plan)
 *   wenku vip add-plan --name NAME [--name-en NAME] --days D --price P
 *                 [--quota Q] [--discount PCT] [--position N]
 *   wenku vip disable PLAN | enable PLAN      take off sale / put on sale
 *   wenku vip grant NAME PLAN [--days D] [--key KEY]
 *   wenku vip status NAME
 *
 * All take [--data DIR]. A grant adds a period of the plan (its days,
 * or D) to the account without payment, starting where its membership
 * ends; --key makes it idempotent (the same command run twice grants
 * once), without it each run is a new grant. Members keep their time
 * when a plan is taken off sale. Adding a plan and putting one on or off
 * sale are audited like the console's (the command line as actor 0).
 */
#include "cli.h"

#include "../base/arena.h"
#include "../base/err.h"
#include "../domain/vip.h"
#include "../store/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wenku vip plans [--all] [--data DIR]\n"
		"       wenku vip add-plan --name NAME [--name-en NAME] --days D"
		" --price P [--quota Q] [--discount PCT] [--position N]\n"
		"       wenku vip disable PLAN | enable PLAN\n"
		"       wenku vip grant NAME PLAN [--days D] [--key KEY]\n"
		"       wenku vip status NAME\n");
}

static const char *utc(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int to_int(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	*v = strtoll(s, &end, 10);
	return *s && !*end && *v >= lo && *v <= hi ? 0 : WK_EINVAL;
}

static int list_plans(struct store *s, struct arena *a, bool all)
{
	struct store_vip_plan *p;
	size_t n, i;
	int rc = store_vip_plans(s, a, !all, &p, &n);

	if (rc)
		return rc;
	printf("id,name,name_en,days,price,daily_quota,discount,on_sale\n");
	for (i = 0; i < n; i++)
		printf("%" PRId64 ",%s,%s,%d,%" PRId64 ",%d,%d,%s\n", p[i].id,
		       p[i].name, p[i].name_en, p[i].days, p[i].price,
		       p[i].daily_quota, p[i].discount,
		       p[i].active ? "yes" : "no");
	return 0;
}

static int status(struct store *s, struct arena *a, const char *name)
{
	struct store_account acc;
	struct vip_status st;
	char w[32];
	int rc;

	if (store_account_by_name(s, a, name, &acc)) {
		fprintf(stderr, "wenku: no account named '%s'\n", name);
		return WK_ENOTFOUND;
	}
	if ((rc = vip_status_of(s, a, acc.id, (int64_t)time(NULL), &st)))
		return rc;
	if (st.active)
		printf("%s: VIP (%s) until %s; %d of %d VIP-free downloads "
		       "left today; %d%% off paid documents\n",
		       acc.name, st.plan.name, utc(st.until, w, sizeof(w)),
		       st.left_today, st.plan.daily_quota, st.plan.discount);
	else if (st.until)
		printf("%s: not a member (expired %s)\n", acc.name,
		       utc(st.until, w, sizeof(w)));
	else
		printf("%s: not a member\n", acc.name);
	return 0;
}

static int grant(struct store *s, struct arena *a, const char *name,
		 const char *plan_arg, long long days, const char *key)
{
	struct store_account acc;
	struct store_vip_plan plan;
	long long plan_id;
	char rnd[33], w[32];
	unsigned char raw[16];
	int64_t until;
	bool replayed;
	int rc;

	if (to_int(plan_arg, 1, INT64_MAX, &plan_id) ||
	    store_vip_plan_get(s, a, plan_id, &plan)) {
		fprintf(stderr, "wenku: no VIP plan %s (see wenku vip plans "
				"--all)\n", plan_arg);
		return WK_ENOTFOUND;
	}
	if (store_account_by_name(s, a, name, &acc)) {
		fprintf(stderr, "wenku: no account named '%s'\n", name);
		return WK_ENOTFOUND;
	}
	if (!key) {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(rnd, sizeof(rnd), raw, sizeof(raw));
	}
	key = arena_sprintf(a, "vipgrant:%s", key ? key : rnd);
	rc = vip_add_period(s, acc.id, plan_id, (int)days, "grant", 0, key,
			    (int64_t)time(NULL), &until, &replayed);
	if (rc == WK_ECONFLICT) {
		fprintf(stderr, "wenku: that --key was used for another "
				"grant\n");
		return rc;
	}
	if (rc == 0)
		printf("%s %s (%s) to %s: member until %s\n",
		       replayed ? "already granted:" : "granted", plan.name,
		       days ? "custom days" : "the plan's days", acc.name,
		       utc(until, w, sizeof(w)));
	return rc;
}

static int vip(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "name-en", required_argument, NULL, 'e' },
		{ "days", required_argument, NULL, 'D' },
		{ "price", required_argument, NULL, 'p' },
		{ "quota", required_argument, NULL, 'q' },
		{ "discount", required_argument, NULL, 'c' },
		{ "position", required_argument, NULL, 'o' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *key = NULL, *verb;
	struct store_vip_plan plan = { .active = true };
	long long days = 0, price = 0, quota = 10, discount = 0, pos = 0;
	bool all = false, bad = false;
	char err[256];
	struct arena *a;
	struct store *s;
	int c, rc = 0, nargs;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'a': all = true; break;
		case 'n': plan.name = optarg; break;
		case 'e': plan.name_en = optarg; break;
		case 'D': bad |= to_int(optarg, 1, 3660, &days) != 0; break;
		case 'p': bad |= to_int(optarg, 1, 1000000000, &price) != 0;
			break;
		case 'q': bad |= to_int(optarg, 0, 1000, &quota) != 0; break;
		case 'c': bad |= to_int(optarg, 0, 90, &discount) != 0; break;
		case 'o': bad |= to_int(optarg, -1000, 1000, &pos) != 0; break;
		case 'k': key = optarg; break;
		case 'h': usage(stdout); return 0;
		default: return 2;
		}
	}
	nargs = argc - optind;
	verb = nargs > 0 ? argv[optind] : "";
	if (bad || (key && strlen(key) > 200) ||
	    !((!strcmp(verb, "plans") && nargs == 1) ||
	      (!strcmp(verb, "add-plan") && nargs == 1 && plan.name &&
	       days && price) ||
	      ((!strcmp(verb, "disable") || !strcmp(verb, "enable")) &&
	       nargs == 2) ||
	      (!strcmp(verb, "grant") && nargs == 3) ||
	      (!strcmp(verb, "status") && nargs == 2))) {
		fprintf(stderr, "wenku: days 1..3660, price 1..10^9, quota "
				"0..1000, discount 0..90\n");
		usage(stderr);
		return 2;
	}
	if (!(s = store_open(data, err, sizeof(err)))) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	if (!(a = arena_new(0))) {
		store_close(s);
		return 1;
	}
	if (!strcmp(verb, "plans")) {
		rc = list_plans(s, a, all);
	} else if (!strcmp(verb, "add-plan")) {
		int64_t id;

		plan.days = (int)days;
		plan.price = price;
		plan.daily_quota = (int)quota;
		plan.discount = (int)discount;
		plan.position = (int)pos;
		if (!plan.name_en)
			plan.name_en = "";
		if (vip_plan_invalid(&plan)) {
			fprintf(stderr, "wenku: the plan's %s is out of "
					"bounds\n", vip_plan_invalid(&plan));
			rc = WK_ENOTFOUND;	/* said already */
		} else {
			/* Audited with the command line (actor 0). */
			rc = vip_plan_create(s, 0, &plan, (int64_t)time(NULL),
					     &id);
		}
		if (!rc)
			printf("plan %" PRId64 " added: %s, %lld days, %lld "
			       "points\n", id, plan.name, days, price);
	} else if (!strcmp(verb, "grant")) {
		rc = grant(s, a, argv[optind + 1], argv[optind + 2], days,
			   key);
	} else if (!strcmp(verb, "status")) {
		rc = status(s, a, argv[optind + 1]);
	} else {
		long long id;

		rc = to_int(argv[optind + 1], 1, INT64_MAX, &id);
		if (!rc)
			rc = vip_plan_set_sale(s, 0, id,
					       !strcmp(verb, "enable"));
		if (!rc || rc == WK_ECONFLICT) {
			printf("plan %lld %s%s\n", id,
			       rc ? "already " : "",
			       !strcmp(verb, "enable") ? "on sale"
						       : "off sale");
			rc = 0;
		} else
			fprintf(stderr, "wenku: no VIP plan %s\n",
				argv[optind + 1]);
	}
	if (rc && rc != WK_ENOTFOUND && rc != WK_ECONFLICT)
		fprintf(stderr, "wenku: %s\n", wk_strerror(rc));
	arena_free(a);
	store_close(s);
	return rc ? 1 : 0;
}

const struct cli_command cli_vip = {
	"vip", "VIP plans and memberships: list, add, grant, status", vip,
};
