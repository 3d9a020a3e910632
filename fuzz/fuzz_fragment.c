/*
 * fuzz_fragment.c - fuzz harness for the HTML fragment sanitizer: any
 * input either is refused as too big or comes out with every tag an
 * allowed element carrying only allowed attributes (no javascript:
 * href), also when the output is sanitized again.
 */
#include "../src/base/buf.h"
#include "../src/domain/fragment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int fuzz_fragment(const uint8_t *data, size_t size);

/* Every tag in s is an allowed element with allowed attributes (text is
 * escaped, so each '<' starts a tag and no value holds '>' or '"'). */
static int tags_ok(const char *s)
{
	static const char *const names[] = {
		"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li",
		"h3", "h4", "blockquote", "a", "img",
	};
	static const char *const attrs[] = { "href", "src", "alt", "rel" };

	while ((s = strchr(s, '<'))) {
		const char *e = strchr(s, '>'), *p = s + 1;
		size_t n, i, ok = 0;

		if (!e)
			return 0;
		if (*p == '/')
			p++;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			ok |= strlen(names[i]) == n && !strncmp(p, names[i], n);
		if (!ok)
			return 0;
		p += n;
		while (p < e) {	/* attributes: name="value" */
			const char *q;
			if (*p++ != ' ')
				return 0;
			n = strcspn(p, "=");
			for (i = 0, ok = 0; i < 4; i++)
				ok |= strlen(attrs[i]) == n &&
				      !strncmp(p, attrs[i], n);
			if (!ok || p[n] != '=' || p[n + 1] != '"')
				return 0;
			if (!strncmp(p, "href", 4) &&
			    !strncasecmp(p + 6, "javascript:", 11))
				return 0;
			q = strchr(p + n + 2, '"');
			if (!q || q > e)
				return 0;
			p = q + 1;
		}
		s = e + 1;
	}
	return 1;
}

int fuzz_fragment(const uint8_t *data, size_t size)
{
	struct buf a, b;
	const char *s;
	int rc;

	buf_init(&a, 0);
	buf_init(&b, 0);
	rc = fragment_sanitize((const char *)data, size, &a);
	if (rc == 0) {
		s = buf_str(&a);
		if (!tags_ok(s))
			abort();
		/* and sanitizing it again yields safe output too (the
		 * HTML5 parser may nest it differently: not compared) */
		if (fragment_sanitize(s, a.len, &b) || !tags_ok(buf_str(&b)))
			abort();
	} else if (size <= FRAGMENT_MAX_INPUT) {
		abort();
	}
	buf_release(&a);
	buf_release(&b);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_fragment(d, n); return 0; }
#endif
