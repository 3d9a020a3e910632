/*
 * err.h - the error codes every layer returns.
 *
 * Functions return 0 on success or one of these negative values. Callers
 * branch on the few that mean something to them (not found, conflict,
 * forbidden); the rest are failures to log and report as a server error.
 */
#ifndef WK_ERR_H
#define WK_ERR_H

enum wk_err {
	WK_OK = 0,
	WK_ENOMEM = -1,		/* allocation failed or a size cap was hit */
	WK_EINVAL = -2,		/* bad input from the caller or the client */
	WK_ENOTFOUND = -3,	/* no such object */
	WK_ECONFLICT = -4,	/* object exists or state forbids the change */
	WK_EFORBIDDEN = -5,	/* caller may not do this */
	WK_EIO = -6,		/* file system or database failure */
	WK_ETOOBIG = -7,	/* input larger than its limit */
	WK_EUNSUPPORTED = -8,	/* format or feature not handled */
	WK_EMALFORMED = -9,	/* input could not be parsed */
};

/* Short English name of an error code, for logs ("not found"). Static. */
const char *wk_strerror(int err);

#endif
