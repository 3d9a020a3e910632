/*
 * rank.h - the reading (阅读排行) and download (下载排行) rankings, by
 * window: today, this week, this month, all time. Days are China days
 * (UTC+8, no daylight saving): a view at 23:30 in Beijing belongs to
 * that day whatever the server's time zone. Every function takes "now"
 * so tests can set the clock.
 */
#ifndef WK_RANK_H
#define WK_RANK_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct store;
struct store_rank;

#define RANK_TZ_OFFSET (8 * 3600)	/* China Standard Time */

enum rank_window { RANK_TODAY, RANK_WEEK, RANK_MONTH, RANK_ALL };
enum rank_kind { RANK_VIEWS, RANK_DOWNLOADS };

/* Days since 1970-01-01 in China time at Unix time t. */
int rank_day(int64_t t);
/* The Unix time at which China day `day` starts. */
int64_t rank_day_start(int day);
/* The first China day of window w at now: today; the Monday of this
 * week; the 1st of this month. -1 for RANK_ALL. */
int rank_window_first_day(enum rank_window w, int64_t now);
/* "today", "week", "month", "all" and back; an unknown name is -1. */
const char *rank_window_name(enum rank_window w);
int rank_window_parse(const char *s);

/* The top `limit` published documents of kind in window w at now. */
int rank_list(struct store *s, struct arena *a, enum rank_kind kind,
	      enum rank_window w, int64_t now, int limit,
	      struct store_rank **out, size_t *n);

#endif
