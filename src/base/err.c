/* err.c - names of the error codes, for log lines. */
#include "err.h"

const char *wk_strerror(int err)
{
	switch (err) {
	case WK_OK: return "ok";
	case WK_ENOMEM: return "out of memory";
	case WK_EINVAL: return "invalid input";
	case WK_ENOTFOUND: return "not found";
	case WK_ECONFLICT: return "conflict";
	case WK_EFORBIDDEN: return "forbidden";
	case WK_EIO: return "i/o error";
	case WK_ETOOBIG: return "too big";
	case WK_EUNSUPPORTED: return "unsupported";
	case WK_EMALFORMED: return "malformed";
	}
	return "unknown error";
}
