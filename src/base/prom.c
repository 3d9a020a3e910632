/*
 * prom.c - Prometheus text exposition (0.0.4) writers and the latency
 * histogram. See prom.h.
 */
#include "prom.h"

#include <math.h>
#include <stdio.h>

static const unsigned bounds_ms[PROM_LATENCY_NBOUNDS] = {
	PROM_LATENCY_BOUNDS_MS
};

void prom_hist_observe(struct prom_hist *h, uint64_t us)
{
	size_t i = 0;

	while (i < PROM_LATENCY_NBOUNDS && us > (uint64_t)bounds_ms[i] * 1000)
		i++;
	atomic_fetch_add_explicit(&h->counts[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, us, memory_order_relaxed);
}

/* Help text: backslash and line feed escaped. */
static void add_help(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

/* A label value: also the double quote escaped. */
static void add_label_value(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"')
			buf_adds(b, "\\\"");
		else if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

void prom_family(struct buf *b, const char *name, const char *type,
		 const char *help)
{
	buf_addf(b, "# HELP %s ", name);
	add_help(b, help);
	buf_addf(b, "\n# TYPE %s %s\n", name, type);
}

static void add_name_labels(struct buf *b, const char *name,
			    const char *const *labels)
{
	size_t i;

	buf_adds(b, name);
	if (!labels || !labels[0])
		return;
	buf_addc(b, '{');
	for (i = 0; labels[i] && labels[i + 1]; i += 2) {
		if (i)
			buf_addc(b, ',');
		buf_adds(b, labels[i]);
		buf_adds(b, "=\"");
		add_label_value(b, labels[i + 1]);
		buf_addc(b, '"');
	}
	buf_addc(b, '}');
}

void prom_sample(struct buf *b, const char *name, const char *const *labels,
		 int64_t value)
{
	add_name_labels(b, name, labels);
	buf_addf(b, " %lld\n", (long long)value);
}

void prom_sample_f(struct buf *b, const char *name,
		   const char *const *labels, double value)
{
	add_name_labels(b, name, labels);
	if (isnan(value))
		buf_adds(b, " NaN\n");
	else if (isinf(value))
		buf_adds(b, value > 0 ? " +Inf\n" : " -Inf\n");
	else
		buf_addf(b, " %.17g\n", value);
}

void prom_hist_write(struct buf *b, const char *name, const char *help,
		     struct prom_hist *h)
{
	char bucket[128], le[32];
	uint64_t cum = 0;
	size_t i;

	snprintf(bucket, sizeof(bucket), "%s_bucket", name);
	prom_family(b, name, "histogram", help);
	for (i = 0; i <= PROM_LATENCY_NBOUNDS; i++) {
		const char *lbl[] = { "le", le, NULL };

		cum += atomic_load_explicit(&h->counts[i],
					    memory_order_relaxed);
		if (i < PROM_LATENCY_NBOUNDS)
			snprintf(le, sizeof(le), "%g", bounds_ms[i] / 1000.0);
		else
			snprintf(le, sizeof(le), "+Inf");
		prom_sample(b, bucket, lbl, (int64_t)cum);
	}
	buf_adds(b, name);
	buf_addf(b, "_sum %.6f\n",
		 (double)atomic_load_explicit(&h->sum_us,
					      memory_order_relaxed) / 1e6);
	buf_adds(b, name);
	buf_addf(b, "_count %llu\n", (unsigned long long)cum);
}
