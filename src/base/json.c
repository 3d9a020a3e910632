/* json.c - JSON string escaping that is also safe inside HTML. */
#include "json.h"
#include "buf.h"
#include "utf8.h"

#include <string.h>

void json_str(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	buf_addc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;

		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(b, "\\\""); break;
			case '\\': buf_adds(b, "\\\\"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '<': buf_adds(b, "\\u003c"); break;
			case '>': buf_adds(b, "\\u003e"); break;
			case '&': buf_adds(b, "\\u0026"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					buf_addf(b, "\\u%04x", c);
				else
					buf_addc(b, (char)c);
			}
			i++;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
		if (!l) {
			buf_adds(b, "\\ufffd");
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			buf_addf(b, "\\u%04x", (unsigned)cp);
			i += l;
		} else {
			buf_add(b, s + i, l);
			i += l;
		}
	}
	buf_addc(b, '"');
}

void json_cstr(struct buf *b, const char *s)
{
	if (!s)
		buf_adds(b, "null");
	else
		json_str(b, s, strlen(s));
}

void json_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_addc(b, ',');
	json_str(b, key, strlen(key));
	buf_addc(b, ':');
}
