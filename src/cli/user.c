/*
 * user.c - `wenku user`: accounts from the command line.
 *
 *   wenku user add NAME [--role reader|provider|moderator|admin]
 *                       [--display NAME] [--data DIR]
 *       The password is read from standard input (one line) when it is
 *       not a terminal; otherwise one is generated and printed once.
 *   wenku user role NAME ROLE [--data DIR]
 *   wenku user suspend NAME [--days N] | restore NAME
 *   wenku user token NAME [--display LABEL]   an API token for partner
 *       uploads (Authorization: Bearer), printed once, only its hash kept
 *
 * This is how the first admin is made.
 */
#include "cli.h"

#include "../base/arena.h"
#include "../domain/auth.h"
#include "../store/store.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *reason_text(enum auth_reason why)
{
	switch (why) {
	case AR_NAME_INVALID: return "user names are 3-32 of a-z 0-9 _ -";
	case AR_NAME_TAKEN: return "that user name is taken";
	case AR_PW_TOO_SHORT: return "the password is shorter than 8";
	case AR_PW_TOO_LONG: return "the password is longer than 128";
	case AR_PW_COMMON: return "the password is too common";
	case AR_PW_SAME_AS_NAME: return "the password is the user name";
	case AR_DISPLAY_INVALID: return "display names are 1-32 characters";
	default: return "the password is not valid UTF-8";
	}
}

static int valid_role(const char *r)
{
	return !strcmp(r, "reader") || !strcmp(r, "provider") ||
	       !strcmp(r, "moderator") || !strcmp(r, "admin");
}

static int user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "role", required_argument, NULL, 'r' },
		{ "display", required_argument, NULL, 'n' },
		{ "days", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *role = "reader", *display = NULL;
	char err[256], pw[160];
	enum auth_reason why;
	struct store *s;
	struct auth *au;
	int c, rc = 0, generated = 0, days = 0;
	int64_t id;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'r': role = optarg; break;
		case 'n': display = optarg; break;
		case 'D': days = atoi(optarg); break;
		case 'h':
			printf("usage: wenku user add NAME [--role ROLE] "
			       "[--display NAME] [--data DIR]\n"
			       "       wenku user role NAME ROLE [--data DIR]\n"
			       "       wenku user token NAME [--display LABEL] "
			       "[--data DIR]   (an API token, shown once)\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind < 2 || !valid_role(role) ||
	    (strcmp(argv[optind], "add") && strcmp(argv[optind], "role") &&
	     strcmp(argv[optind], "token") && strcmp(argv[optind], "suspend") &&
	     strcmp(argv[optind], "restore")) ||
	    (!strcmp(argv[optind], "role") &&
	     (argc - optind != 3 || !valid_role(argv[optind + 2])))) {
		fprintf(stderr, "usage: wenku user add NAME [--role reader|"
				"provider|moderator|admin] [--display NAME]\n"
				"       wenku user role NAME ROLE\n");
		return 2;
	}
	s = store_open(data, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "wenku: %s\n", err);
		return 1;
	}
	if (!strcmp(argv[optind], "token")) {
		struct arena *a = arena_new(0);
		struct store_account acc;
		char err2[256], tok[AUTH_TOKEN_HEX];
		struct auth *au2;
		int64_t tid;

		au2 = auth_new(s, err2, sizeof(err2));
		if (!a || !au2 ||
		    store_account_by_name(s, a, argv[optind + 1], &acc)) {
			fprintf(stderr, "wenku: no account named '%s'\n",
				argv[optind + 1]);
			rc = 1;
		} else if (auth_token_create(au2, acc.id, display, tok,
					     &tid)) {
			fprintf(stderr, "wenku: the token could not be made\n");
			rc = 1;
		} else {
			printf("API token %lld for %s (shown once; send it as "
			       "Authorization: Bearer):\n%s\n",
			       (long long)tid, acc.name, tok);
		}
		auth_free(au2);
		arena_free(a);
		store_close(s);
		return rc;
	}
	if (!strcmp(argv[optind], "suspend") ||
	    !strcmp(argv[optind], "restore")) {
		struct arena *a = arena_new(0);
		struct store_account acc;
		int susp = !strcmp(argv[optind], "suspend");
		int64_t until = susp && days > 0
					? (int64_t)time(NULL) + days * 86400L
					: 0;
		if (!a || store_account_by_name(s, a, argv[optind + 1], &acc) ||
		    store_account_set_status(s, acc.id,
					     susp ? "suspended" : "active",
					     until)) {
			fprintf(stderr, "wenku: no account named '%s'\n",
				argv[optind + 1]);
			rc = 1;
		} else {
			printf("%s is %s\n", acc.name,
			       susp ? "suspended" : "active again");
		}
		arena_free(a);
		store_close(s);
		return rc;
	}
	if (!strcmp(argv[optind], "role")) {
		struct arena *a = arena_new(0);
		struct store_account acc;
		if (!a || store_account_by_name(s, a, argv[optind + 1], &acc) ||
		    store_account_set_role(s, acc.id, argv[optind + 2])) {
			fprintf(stderr, "wenku: no account named '%s'\n",
				argv[optind + 1]);
			rc = 1;
		} else {
			store_session_delete_user(s, acc.id);
			printf("%s is now %s\n", acc.name, argv[optind + 2]);
		}
		arena_free(a);
		store_close(s);
		return rc;
	}
	au = auth_new(s, err, sizeof(err));
	if (!au) {
		fprintf(stderr, "wenku: %s\n", err);
		store_close(s);
		return 1;
	}
	if (isatty(0)) {
		unsigned char raw[12];
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(pw, sizeof(pw), raw, sizeof(raw),
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		generated = 1;
	} else if (!fgets(pw, sizeof(pw), stdin)) {
		fprintf(stderr, "wenku: no password on standard input\n");
		rc = 1;
		goto out;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (auth_register(au, argv[optind + 1], display, NULL, pw, role, NULL,
			  &id, &why)) {
		fprintf(stderr, "wenku: %s\n", reason_text(why));
		rc = 1;
		goto out;
	}
	printf("created %s (%s), account %lld\n", argv[optind + 1], role,
	       (long long)id);
	if (generated)
		printf("password (shown once): %s\n", pw);
out:
	sodium_memzero(pw, sizeof(pw));
	auth_free(au);
	store_close(s);
	return rc;
}

const struct cli_command cli_user = {
	"user", "create accounts (the first admin) and change roles", user,
};
