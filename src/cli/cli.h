/*
 * cli.h - subcommands of the wenku binary. Each lives in its own file
 * and exports one table entry (see main.c).
 */
#ifndef WK_CLI_H
#define WK_CLI_H

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);	/* argv[0] is the name */
};

extern const struct cli_command cli_serve;
extern const struct cli_command cli_import;
extern const struct cli_command cli_config;

/* Split "HOST:PORT" ("[::1]:8080" for IPv6). 0 or -1 with a message. */
int cli_parse_listen(const char *s, char *host, unsigned long hostlen,
		     unsigned short *port);

#endif
