/*
 * office.c - `wenku office-convert TARGET`: LibreOffice in a box.
 *
 * Spawned by sandbox_office() with a legacy office file on stdin. Makes
 * a private temporary folder, leaves the network (a new, empty network
 * namespace where the kernel allows it), sets no_new_privs and rlimits,
 * runs `soffice --headless --convert-to TARGET` on the file with its
 * profile inside that folder, writes the converted file to stdout and
 * removes the folder. LibreOffice cannot run under the parsing worker's
 * seccomp filter; its output is parsed by a sandboxed worker afterwards
 * like any upload. Exit 0 on success, 5 when LibreOffice failed or ran
 * out of time, 2 on bad arguments.
 */
#include "cli.h"

#include "../base/buf.h"
#include "../domain/sandbox.h"
#include "../parse/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OFFICE_SECONDS 100

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };
	setrlimit(res, &rl);
}

static int write_file(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

/* Run soffice on in (a file in dir) and wait at most OFFICE_SECONDS. */
static int run_soffice(const char *soffice, const char *dir, const char *in,
		       const char *target)
{
	char profile[4200];
	pid_t pid;
	int status, i;

	snprintf(profile, sizeof(profile), "-env:UserInstallation=file://%s/"
					   "profile", dir);
	pid = fork();	/* this process has one thread: fork is safe */
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		if (chdir(dir))
			_exit(127);
		setenv("HOME", dir, 1);
		execl(soffice, "soffice", "--headless", "--norestore",
		      "--nologo", "--nodefault", "--nolockcheck", profile,
		      "--convert-to", target, "--outdir", dir, in,
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < OFFICE_SECONDS * 10; i++) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return WIFEXITED(status) && !WEXITSTATUS(status) ? 0
									  : -1;
		usleep(100000);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* The file's format as LibreOffice knows it by extension: a legacy
 * format, or (for page images) one wenku parses itself. From the bytes
 * only; NULL for anything LibreOffice is not asked to open. */
static const char *source_ext(const void *data, size_t len)
{
	static const char *const own[] = { "docx", "pptx", "xlsx", "odt",
					   "odp", "ods" };
	const char *name = parse_legacy_name(data, len);
	size_t i;

	if (name)
		return name;
	name = parse_format_name(parse_detect(data, len));
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(name, own[i]))
			return name;
	return NULL;
}

static int office_convert(int argc, char **argv)
{
	const char *target, *ext, *soffice = sandbox_soffice();
	char dir[] = "/tmp/wenku-office.XXXXXX";
	char in[4200], outp[4200];
	struct buf data;
	int rc = 5;

	if (argc != 2 || !soffice ||
	    (strcmp(argv[1], "docx") && strcmp(argv[1], "xlsx") &&
	     strcmp(argv[1], "pptx") && strcmp(argv[1], "pdf")))
		return 2;
	target = argv[1];
	buf_init(&data, (size_t)200 << 20);
	for (;;) {
		char chunk[65536];
		ssize_t n = read(0, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&data, chunk, (size_t)n);
	}
	ext = source_ext(data.data, data.len);
	if (buf_error(&data) || !ext || !mkdtemp(dir)) {
		buf_release(&data);
		return 5;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (unshare(CLONE_NEWNET))
		(void)0;	/* no namespaces here: still no_new_privs */
	limit(RLIMIT_CPU, OFFICE_SECONDS);
	limit(RLIMIT_FSIZE, (rlim_t)512 << 20);
	limit(RLIMIT_CORE, 0);
	snprintf(in, sizeof(in), "%s/in.%s", dir, ext);
	snprintf(outp, sizeof(outp), "%s/in.%s", dir, target);
	if (write_file(in, data.data, data.len) == 0 &&
	    run_soffice(soffice, dir, in, target) == 0) {
		FILE *f = fopen(outp, "rb");
		if (f) {
			char chunk[65536];
			size_t n;
			rc = 0;
			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				if (fwrite(chunk, 1, n, stdout) != n)
					rc = 5;
			fclose(f);
			if (fflush(stdout))
				rc = 5;
		}
	}
	buf_release(&data);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

const struct cli_command cli_office = {
	"office-convert",
	"(internal) convert a legacy office file with LibreOffice",
	office_convert,
};
