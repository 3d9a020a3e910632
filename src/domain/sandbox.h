/*
 * sandbox.h - converting untrusted files in sandboxed worker processes.
 *
 * The server never parses an uploaded file itself. sandbox_convert()
 * spawns the wenku binary as `wenku worker` with posix_spawn (never a
 * fork of the threaded server), writes the file to the worker's stdin
 * and reads a result frame (parse/frame.h) from its stdout within a
 * wall-clock deadline; the frame is validated before anything uses it.
 * A crash, a timeout, a bomb or a memory overrun in the worker becomes a
 * rejection with a reason an uploader can read.
 *
 * Inside the worker, sandbox_enter() drops what it may do before any
 * untrusted byte is read: no new privileges, a new network namespace
 * (where the kernel allows it), rlimits on address space, CPU time, open
 * files, processes and file size, and a seccomp allow-list that kills
 * the process on any other system call (no open, socket, exec, fork).
 * In sanitizer builds the address-space limit is left off (the
 * sanitizer's shadow memory needs terabytes of address space); the
 * parsers' own memory caps still apply.
 */
#ifndef WK_SANDBOX_H
#define WK_SANDBOX_H

#include "../parse/parse.h"

#include <stdbool.h>
#include <stddef.h>

struct sandbox_limits {
	size_t mem_bytes;	/* RLIMIT_AS of the worker */
	unsigned cpu_seconds;	/* RLIMIT_CPU */
	unsigned wall_ms;	/* killed after this long */
	size_t max_input;	/* larger files are refused before spawning */
	size_t max_output;	/* largest result frame accepted */
	int render_share;	/* preview share for page images; 0: none */
	const char *watermark;	/* burned into page images */
};

struct sandbox_stats {
	long peak_rss_kb;	/* the worker's maximum resident set */
	long wall_ms;
	int exit_code;		/* -1 when killed by a signal */
	int signal;		/* the signal that ended it, or 0 */
};

void sandbox_default_limits(struct sandbox_limits *l);

/* Path of this program, for spawning workers (from /proc/self/exe).
 * Call once before threads start; returns a static string or NULL. */
const char *sandbox_self_exe(void);

/* Convert data (len bytes) in a worker spawned from exe. On success 0
 * and *r filled (release with parse_result_release). On failure a WK_
 * error with the reason in err: the parser's own message, or what
 * happened to the worker ("the converter ran out of time", "... ran out
 * of memory", "... crashed"). st (may be NULL) receives figures. */
int sandbox_convert(const char *exe, const void *data, size_t len,
		    const struct sandbox_limits *l, struct parse_result *r,
		    char *err, size_t errlen, struct sandbox_stats *st);

/* Path of LibreOffice's soffice when installed, else NULL. */
const char *sandbox_soffice(void);

/* Convert a legacy office file (parse_legacy_target() names the target:
 * "docx", "xlsx" or "pptx") with LibreOffice headless, in a process of
 * its own (`wenku office-convert`: private temporary folder, no
 * network, rlimits, a time limit), returning the OOXML bytes in a
 * malloc'd *ooxml. WK_EUNSUPPORTED with a message saying so when
 * LibreOffice is not installed. */
int sandbox_office(const char *exe, const void *data, size_t len,
		   const char *target, unsigned char **ooxml, size_t *olen,
		   char *err, size_t errlen, struct sandbox_stats *st);

struct zygote;

/* sandbox_convert(), with legacy office files converted by LibreOffice
 * first, and through the zygote z when z is not NULL (zygote.h).
 * *format names the original's format ("docx", "doc", ...). */
int sandbox_convert_any(const char *exe, struct zygote *z, const void *data,
			size_t len, const struct sandbox_limits *l,
			struct parse_result *r, const char **format,
			char *err, size_t errlen, struct sandbox_stats *st);

/* A square PNG profile picture of size pixels from an uploaded image,
 * made by a sandboxed worker (parse_render_avatar); the parent checks
 * it is a PNG of that size. 0 and a malloc'd *png, or a WK_ error with a
 * message. */
int sandbox_avatar(const char *exe, const void *data, size_t len, int size,
		   unsigned char **png, size_t *png_len, char *err,
		   size_t errlen);

/* A copy of the PDF in data with the download mark stamped in (a
 * footer line on every page and an info dictionary entry, see
 * parse/stamp.h), made by a sandboxed worker (`wenku worker --stamp-pdf
 * MARK`); the parent checks the result looks like a whole PDF ("%PDF-"
 * first, "%%EOF" at the end) and is at most 2 x len + 16 MiB. At most
 * one worker per core stamps at a time; a call waits up to 30 s for its
 * turn (then WK_EIO, "too many pdf downloads at once"). 0 and a
 * malloc'd *pdf, or WK_ETOOBIG (input over the worker's cap), WK_EIO
 * (no worker), WK_ENOMEM, or WK_EMALFORMED for any failure of the
 * worker (encrypted, damaged, out of time or memory), with a message. */
int sandbox_stamp_pdf(const char *exe, const void *data, size_t len,
		      const char *mark, unsigned char **pdf, size_t *pdf_len,
		      char *err, size_t errlen);

/* In the worker: enter the sandbox. 0, or WK_EIO with a message (the
 * worker must then exit without reading its input). */
int sandbox_enter(const struct sandbox_limits *l, char *err, size_t errlen);

/* sandbox_enter() in two steps, for a zygote that isolates itself once
 * and locks each forked child: sandbox_isolate() sets no_new_privs and
 * leaves the network; sandbox_lock() sets the rlimits and loads the
 * seccomp filter. */
int sandbox_isolate(char *err, size_t errlen);
int sandbox_lock(const struct sandbox_limits *l, char *err, size_t errlen);

/* Whether the last sandbox_enter() got a private network namespace. */
bool sandbox_has_netns(void);

#endif
