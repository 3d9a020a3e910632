/*
 * prom.h - the Prometheus text exposition format (version 0.0.4) and a
 * lock-free latency histogram.
 *
 * The writers append to a struct buf (its sticky error is checked once
 * by the caller). Metric and label names are the caller's constants and
 * are written as given; label values and help text are escaped as the
 * format asks (backslash, double quote and line feed in label values;
 * backslash and line feed in help).
 *
 * The histogram has fixed buckets (PROM_LATENCY_BOUNDS_MS) and counts
 * with relaxed atomics: observing is a few adds from any thread, no lock.
 * A snapshot taken while others observe may be a count or two apart
 * between buckets and sum; _count is always the +Inf bucket.
 */
#ifndef WK_PROM_H
#define WK_PROM_H

#include "buf.h"

#include <stdatomic.h>
#include <stdint.h>

/* Latency bucket upper bounds, in milliseconds. */
#define PROM_LATENCY_BOUNDS_MS 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500
#define PROM_LATENCY_NBOUNDS 11

struct prom_hist {
	/* counts[i]: observations in (bound[i-1], bound[i]]; the last
	 * slot is past the highest bound (+Inf). Not cumulative. */
	atomic_ulong counts[PROM_LATENCY_NBOUNDS + 1];
	atomic_ulong sum_us;	/* sum of observations, microseconds */
};

/* Count one observation of us microseconds. Thread-safe. A zeroed
 * struct prom_hist is an empty histogram. */
void prom_hist_observe(struct prom_hist *h, uint64_t us);

/* "# HELP name help\n# TYPE name type\n"; type is counter, gauge or
 * histogram. */
void prom_family(struct buf *b, const char *name, const char *type,
		 const char *help);

/* One sample line: name, then the labels, given as NULL-terminated
 * name, value pairs (labels may be NULL for none), then value. */
void prom_sample(struct buf *b, const char *name, const char *const *labels,
		 int64_t value);
/* The same with a floating-point value (printed with %.17g, +Inf, -Inf
 * or NaN). */
void prom_sample_f(struct buf *b, const char *name,
		   const char *const *labels, double value);

/* A whole histogram family in seconds: HELP, TYPE, name_bucket{le=...}
 * for every bound and +Inf (cumulative), name_sum and name_count. */
void prom_hist_write(struct buf *b, const char *name, const char *help,
		     struct prom_hist *h);

#endif
