/*
 * realname.h - real-name verification data: Chinese resident identity
 * card numbers (GB 11643-1999) and personal names.
 *
 * An ID number is never stored whole. The site keeps its masked form for
 * display ("110***********123X") and a keyed hash (HMAC-SHA256 under a
 * site secret) to recognise the same number again, e.g. to stop one
 * person verifying many accounts. Without the key the hash can't be
 * reversed by running through the roughly 10^10 plausible numbers.
 */
#ifndef WK_REALNAME_H
#define WK_REALNAME_H

#include <stddef.h>

#define REALNAME_ID_LEN 18
#define REALNAME_KEY_LEN 32
#define REALNAME_NAME_MIN 2
#define REALNAME_NAME_MAX 30

/* Check an 18-character ID number: 17 digits and a digit or X (either
 * case), a known province-level region (first two digits), a real birth
 * date YYYYMMDD (characters 7-14) from 1900-01-01 to today in China
 * (UTC+8), and the ISO 7064 MOD 11-2 check character. Returns 0 or
 * WK_EINVAL with a short English message in err (may be NULL). */
int realname_check_id(const char *id, char *err, size_t errlen);

/* The display form of a (checked) ID: the first 3 and last 4 characters
 * kept, the 11 between replaced by '*', a final x upper-cased. Anything
 * that is not 18 characters long comes out as 18 '*'. */
void realname_mask(const char *id, char out[REALNAME_ID_LEN + 1]);

/* HMAC-SHA256 of the upper-cased ID under key, as 64 lowercase hex
 * digits. Returns 0, or WK_EINVAL when id is not 18 characters. */
int realname_id_hash(const char *id, const unsigned char key[REALNAME_KEY_LEN],
		     char hex[65]);

/* Check a personal name: valid UTF-8, 2 to 30 characters, each a letter
 * of any script (with its combining marks), the middle dot '·' (U+00B7)
 * of transliterated names, or a space; no separator first, last or
 * twice in a row. Returns 0 or WK_EINVAL with a message in err. */
int realname_check_name(const char *name, char *err, size_t errlen);

#endif
