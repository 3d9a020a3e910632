#!/usr/bin/python3
# promparse.py - read a /metrics reply on stdin with the Prometheus
# project's own Python client parser (Debian: python3-prometheus-client)
# and check what a scraper relies on: every family parses, counters and
# histograms are well-formed, histogram buckets are cumulative and end in
# +Inf equal to _count. Prints "ok FAMILIES SAMPLES" or the problem and
# exits 1.
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    families = list(text_string_to_metric_families(text))
    nsamples = 0
    for f in families:
        if f.type == "unknown":
            raise ValueError("family %s has no TYPE" % f.name)
        if f.documentation == "":
            raise ValueError("family %s has no HELP" % f.name)
        nsamples += len(f.samples)
        for s in f.samples:
            if math.isnan(s.value):
                raise ValueError("%s is NaN" % s.name)
            if f.type == "counter" and s.value < 0:
                raise ValueError("counter %s is negative" % s.name)
        if f.type == "histogram":
            # group by the labels other than le
            series = {}
            for s in f.samples:
                key = tuple(sorted((k, v) for k, v in s.labels.items()
                                   if k != "le"))
                series.setdefault(key, {"buckets": [], "count": None})
                if s.name.endswith("_bucket"):
                    series[key]["buckets"].append(
                        (float(s.labels["le"]), s.value))
                elif s.name.endswith("_count"):
                    series[key]["count"] = s.value
            for key, v in series.items():
                b = v["buckets"]
                if not b or b[-1][0] != math.inf:
                    raise ValueError("%s: no +Inf bucket" % f.name)
                if [x for x, _ in b] != sorted(x for x, _ in b):
                    raise ValueError("%s: buckets out of order" % f.name)
                if any(b[i][1] > b[i + 1][1] for i in range(len(b) - 1)):
                    raise ValueError("%s: buckets not cumulative" % f.name)
                if v["count"] != b[-1][1]:
                    raise ValueError("%s: _count %s != +Inf bucket %s"
                                     % (f.name, v["count"], b[-1][1]))
    print("ok %d %d" % (len(families), nsamples))


try:
    main()
except Exception as e:  # the parser raises ValueError and others
    print("bad: %s" % e)
    sys.exit(1)
