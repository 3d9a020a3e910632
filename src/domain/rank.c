/*
 * rank.c - ranking windows in China time, over the per-day view counts
 * and the download log (see rank.h).
 */
#include "rank.h"

#include "../base/err.h"
#include "../store/store.h"

#include <string.h>

static const char *const window_names[] = { "today", "week", "month",
					    "all" };

int rank_day(int64_t t)
{
	int64_t s = t + RANK_TZ_OFFSET;
	/* Floor division: days before 1970 stay ordered. */
	return (int)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

int64_t rank_day_start(int day)
{
	return (int64_t)day * 86400 - RANK_TZ_OFFSET;
}

/* Day of the month (1..31) of a day number (proleptic Gregorian;
 * Howard Hinnant's civil_from_days). */
static int day_of_month(int day)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	return (int)(doy - (153 * mp + 2) / 5 + 1);
}

int rank_window_first_day(enum rank_window w, int64_t now)
{
	int day = rank_day(now);

	switch (w) {
	case RANK_TODAY:
		return day;
	case RANK_WEEK:
		/* 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays. */
		return day - ((day % 7 + 7 + 3) % 7);
	case RANK_MONTH:
		return day - (day_of_month(day) - 1);
	case RANK_ALL:
		break;
	}
	return -1;
}

const char *rank_window_name(enum rank_window w)
{
	return (unsigned)w < 4 ? window_names[w] : "all";
}

int rank_window_parse(const char *s)
{
	int i;

	for (i = 0; s && i < 4; i++)
		if (!strcmp(s, window_names[i]))
			return i;
	return -1;
}

int rank_list(struct store *s, struct arena *a, enum rank_kind kind,
	      enum rank_window w, int64_t now, int limit,
	      struct store_rank **out, size_t *n)
{
	int first = rank_window_first_day(w, now);

	if (kind == RANK_VIEWS)
		return store_rank_views(s, a, first, limit, out, n);
	return store_rank_downloads(s, a, first < 0 ? -1 : rank_day_start(first),
				    limit, out, n);
}
