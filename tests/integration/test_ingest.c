/*
 * test_ingest.c - the conversion pipeline end to end: sandboxed workers
 * that try forbidden things, hostile files, bulk import with duplicates,
 * and a server killed in the middle of a 200-file import.
 */
#include "client.h"
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

extern char **environ;

/* Run argv with stdout captured into *out (malloc'd, may be NULL) and
 * stdin from in_path (or /dev/null). Returns the wait status. */
static int run(const char *const *argv, const char *in_path, char **out)
{
	posix_spawn_file_actions_t fa;
	int p[2], status = -1;
	pid_t pid;
	size_t n = 0, cap = 0;
	char *buf = NULL;

	if (pipe(p))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv,
			environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	for (;;) {
		ssize_t r;
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap + 1);
		}
		r = read(p[0], buf + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = buf;
	else
		free(buf);
	return status;
}

static long json_num(const char *s, const char *key)
{
	char k[64];
	const char *p;
	snprintf(k, sizeof(k), "\"%s\":", key);
	p = s ? strstr(s, k) : NULL;
	return p ? strtol(p + strlen(k), NULL, 10) : -1;
}

/* ---- building files ------------------------------------------------------*/

static const char *CT =
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats"
	".org/package/2006/content-types\"><Default Extension=\"rels\" "
	"ContentType=\"application/vnd.openxmlformats-package.relationships"
	"+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml"
	"\"/><Override PartName=\"/word/"
	"document.xml\" ContentType=\"application/vnd.openxmlformats-"
	"officedocument.wordprocessingml.document.main+xml\"/></Types>";
static const char *RELS =
	"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
	"openxmlformats.org/package/2006/relationships\"><Relationship "
	"Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/officeDocument\" "
	"Target=\"word/document.xml\"/></Relationships>";

static int add_entry(zip_t *z, const char *name, const char *data, size_t n)
{
	zip_source_t *src = zip_source_buffer(z, data, n, 0);
	return src && zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0 ? 0
									: -1;
}

/* A docx whose document.xml is xml; extra entries (name, content) after. */
static int write_docx(const char *path, const char *xml,
		      const char *const *extra)
{
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	int i;
	if (!z)
		return -1;
	add_entry(z, "[Content_Types].xml", CT, strlen(CT));
	add_entry(z, "_rels/.rels", RELS, strlen(RELS));
	add_entry(z, "word/document.xml", xml, strlen(xml));
	for (i = 0; extra && extra[i]; i += 2)
		add_entry(z, extra[i], extra[i + 1], strlen(extra[i + 1]));
	return zip_close(z);
}

/* Zeros, streamed to libzip without holding them in memory. */
static zip_int64_t zeros_cb(void *ud, void *data, zip_uint64_t len,
			    zip_source_cmd_t cmd)
{
	zip_uint64_t *left = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN: return 0;
	case ZIP_SOURCE_READ:
		if (len > *left)
			len = *left;
		memset(data, 0, len);
		*left -= len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE: return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR: return 0;
	case ZIP_SOURCE_FREE: return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
			ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
			ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default: return -1;
	}
}

static int write_zeros_docx(const char *path, zip_uint64_t size)
{
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
	zip_uint64_t left = size;
	zip_source_t *src;
	zip_int64_t idx;

	if (!z)
		return -1;
	add_entry(z, "[Content_Types].xml", CT, strlen(CT));
	src = zip_source_function(z, zeros_cb, &left);
	idx = zip_file_add(z, "word/document.xml", src, 0);
	zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
	return zip_close(z);
}

static unsigned rd16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static void wr16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}
static void wr32(unsigned char *p, uint32_t v)
{
	wr16(p, v & 0xffff);
	wr16(p + 2, v >> 16);
}

/* An overlapping-entry bomb: one deflated entry of 20 MB of zeros, and a
 * central directory naming it 300 times under different names, all at
 * the same offset - 6 GB claimed from a few KB. */
static int write_overlap_bomb(const char *path, const char *tmp)
{
	unsigned char *z, *cd, *out;
	size_t zl, cdl, i, o = 0;
	uint32_t cd_off;
	FILE *f;
	long n;

	if (write_zeros_docx(tmp, 20u << 20))
		return -1;
	f = fopen(tmp, "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	z = malloc((size_t)n);
	if (fread(z, 1, (size_t)n, f) != (size_t)n)
		return -1;
	fclose(f);
	zl = (size_t)n;
	/* End of central directory is the last 22 bytes (no comment). */
	cd_off = rd32(z + zl - 22 + 16);
	cd = z + cd_off;
	cdl = zl - 22 - cd_off;
	/* Find the document.xml record in the central directory. */
	for (i = 0; i + 46 < cdl; ) {
		unsigned nl = rd16(cd + i + 28), xl = rd16(cd + i + 30),
			 cl = rd16(cd + i + 32);
		if (nl == 17 && !memcmp(cd + i + 46, "word/document.xml", 17))
			break;
		i += 46 + nl + xl + cl;
	}
	out = malloc(zl + 300 * 80);
	memcpy(out, z, cd_off);
	o = cd_off;
	{
		unsigned char rec[46 + 17];
		unsigned k;
		memcpy(rec, cd + i, 46);
		wr16(rec + 30, 0);
		wr16(rec + 32, 0);
		/* The content types record first, as it was. */
		memcpy(out + o, cd, i);
		o += i;
		for (k = 0; k < 300; k++) {
			char name[18];
			snprintf(name, sizeof(name), "word/d%03u.xmlxxx", k);
			memcpy(rec + 46, k ? name : "word/document.xml", 17);
			memcpy(out + o, rec, sizeof(rec));
			o += sizeof(rec);
		}
	}
	{
		unsigned char eocd[22];
		memcpy(eocd, z + zl - 22, 22);
		wr16(eocd + 8, 301);
		wr16(eocd + 10, 301);
		wr32(eocd + 12, (uint32_t)(o - cd_off));
		wr32(eocd + 16, cd_off);
		memcpy(out + o, eocd, 22);
		o += 22;
	}
	f = fopen(path, "wb");
	fwrite(out, 1, o, f);
	fclose(f);
	free(out);
	free(z);
	return 0;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

/* ---- tests ---------------------------------------------------------------*/

static void test_worker_sandbox(const char *rel)
{
	static const char *acts[] = { "open", "socket", "exec" };
	const char *argv[8];
	char path[64], *st = NULL;
	int status, i;

	begin("a worker that opens a file, a socket or runs a program is killed");
	for (i = 0; i < 3; i++) {
		const char *a[] = { rel, "worker", "--mem", "536870912",
				    "--cpu", "5", "--selftest", acts[i], NULL };
		status = run(a, NULL, NULL);
		if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS))
			fprintf(stderr, "  %s: status %d\n", acts[i], status);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS);
	}
	end();

	begin("a worker that allocates 2 GB or spins is stopped");
	{
		const char *a[] = { rel, "worker", "--mem", "268435456", "--cpu",
				    "5", "--selftest", "alloc", NULL };
		status = run(a, NULL, NULL);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	}
	{
		const char *a[] = { rel, "worker", "--mem", "268435456", "--cpu",
				    "1", "--selftest", "spin", NULL };
		time_t t0 = time(NULL);
		status = run(a, NULL, NULL);
		CHECK(WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU ||
					      WTERMSIG(status) == SIGKILL));
		CHECK(time(NULL) - t0 <= 5);
	}
	end();

	begin("a sandboxed worker shows Seccomp: 2 and NoNewPrivs: 1");
	{
		posix_spawn_file_actions_t fa;
		int in[2];
		pid_t pid;
		const char *a[] = { rel, "worker", "--mem", "268435456", "--cpu",
				    "5", "--selftest", "wait", NULL };
		FILE *f;
		char line[256];
		int seccomp = 0, nnp = 0;

		CHECK(pipe(in) == 0);
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
		posix_spawn_file_actions_addclose(&fa, in[1]);
		CHECK(posix_spawn(&pid, rel, &fa, NULL, (char *const *)a,
				  environ) == 0);
		posix_spawn_file_actions_destroy(&fa);
		close(in[0]);
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		for (i = 0; i < 50 && !seccomp; i++) {
			usleep(20000);
			f = fopen(path, "r");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f)) {
				if (!strcmp(line, "Seccomp:\t2\n"))
					seccomp = 1;
				if (!strcmp(line, "NoNewPrivs:\t1\n"))
					nnp = 1;
			}
			fclose(f);
		}
		CHECK(seccomp);
		CHECK(nnp);
		close(in[1]);
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	free(st);
	(void)argv;
	end();
}

static void test_hostile_files(const char *rel, const char *work)
{
	static const char *laughs =
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
		"]><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
		"wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol4;"
		"</w:t></w:r></w:p></w:body></w:document>";
	static const char *xxe =
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]><w:document xmlns:w=\"http://"
		"schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
		"</w:document>";
	static const char *ok_xml =
		"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas."
		"openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"
		"<w:r><w:t>正文内容</w:t></w:r></w:p></w:body></w:document>";
	const char *trav[] = { "../../../../tmp/wenku-evil-entry", "owned",
			       "/tmp/wenku-evil-abs", "owned", NULL };
	struct { const char *name; const char *want; } cases[] = {
		{ "laughs.docx", "DTD" },
		{ "xxe.docx", "DTD" },
		{ "zeros.docx", "" },
		{ "overlap.docx", "" },
		{ "notzip.docx", "not recognised" },
		{ "truncated.docx", "" },
		{ "encrypted.docx", "encrypted" },
	};
	char path[600], tmp[600];
	unsigned char junk[4096];
	size_t i;

	begin("hostile files are rejected within 2 s, worker under 256 MB");
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7919u >> 3);
	snprintf(path, sizeof(path), "%s/laughs.docx", work);
	write_docx(path, laughs, NULL);
	snprintf(path, sizeof(path), "%s/xxe.docx", work);
	write_docx(path, xxe, NULL);
	snprintf(path, sizeof(path), "%s/zeros.docx", work);
	CHECK(write_zeros_docx(path, (zip_uint64_t)1 << 30) == 0);
	snprintf(path, sizeof(path), "%s/overlap.docx", work);
	snprintf(tmp, sizeof(tmp), "%s/overlap-src.zip", work);
	CHECK(write_overlap_bomb(path, tmp) == 0);
	snprintf(path, sizeof(path), "%s/notzip.docx", work);
	junk[0] = 0x7f;
	write_file(path, junk, sizeof(junk));
	snprintf(path, sizeof(path), "%s/trav.docx", work);
	write_docx(path, ok_xml, trav);
	{
		/* Truncated: the first half of a good docx. */
		char *d = NULL;
		long n;
		FILE *f = fopen(path, "rb");
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		d = malloc((size_t)n);
		if (fread(d, 1, (size_t)n, f) != (size_t)n)
			n = 0;
		fclose(f);
		snprintf(path, sizeof(path), "%s/truncated.docx", work);
		write_file(path, d, (size_t)n / 2);
		free(d);
	}
	{
		char *d;
		FILE *f = fopen("tests/data/parse/tika-testWORD_protected_"
				"passtika-ENCRYPTED.docx", "rb");
		long n;
		CHECK(f != NULL);
		if (f) {
			fseek(f, 0, SEEK_END);
			n = ftell(f);
			fseek(f, 0, SEEK_SET);
			d = malloc((size_t)n);
			if (fread(d, 1, (size_t)n, f) == (size_t)n) {
				snprintf(path, sizeof(path),
					 "%s/encrypted.docx", work);
				write_file(path, d, (size_t)n);
			}
			free(d);
			fclose(f);
		}
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *a[] = { rel, "convert", "--json", path, NULL };
		char *out = NULL;
		int status;
		long ms, kb;

		snprintf(path, sizeof(path), "%s/%s", work, cases[i].name);
		status = run(a, NULL, &out);
		ms = json_num(out, "ms");
		kb = json_num(out, "peak_rss_kb");
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 1) ||
		    !strstr(out ? out : "", "\"error\":") ||
		    !strstr(out ? out : "", cases[i].want) || ms > 2000 ||
		    kb > 256 * 1024)
			fprintf(stderr, "  %s: %s", cases[i].name, out);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		CHECK_HAS(out, "\"error\":");
		CHECK_HAS(out, cases[i].want);
		CHECK(ms >= 0 && ms <= 2000);
		CHECK(kb > 0 && kb <= 256 * 1024);
		free(out);
	}
	end();

	begin("entry names are never paths");
	{
		const char *a[] = { rel, "convert", "--json", path, NULL };
		char *out = NULL;
		struct stat st;
		snprintf(path, sizeof(path), "%s/trav.docx", work);
		run(a, NULL, &out);
		CHECK_HAS(out, "正文内容");
		CHECK(stat("/tmp/wenku-evil-entry", &st) != 0);
		CHECK(stat("/tmp/wenku-evil-abs", &st) != 0);
		free(out);
	}
	end();
}

/* 200 files: 180 distinct texts, 10 exact copies, 10 not documents. */
static void make_import_set(const char *dir)
{
	unsigned seed = 12345;
	char path[700];
	int i, k;

	mkdir(dir, 0755);
	for (i = 0; i < 180; i++) {
		char text[3 * 400 + 64];
		size_t o = 0;
		o += (size_t)snprintf(text, sizeof(text), "文档%03d\n", i);
		for (k = 0; k < 300; k++) {
			unsigned cp;
			seed = seed * 1103515245u + 12345u;
			cp = 0x4e00 + (seed >> 8) % 0x5000;
			text[o++] = (char)(0xE0 | (cp >> 12));
			text[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			text[o++] = (char)(0x80 | (cp & 0x3F));
			if (k % 60 == 59)
				text[o++] = '\n';
		}
		snprintf(path, sizeof(path), "%s/f%03d.txt", dir, i);
		write_file(path, text, o);
		if (i < 10) {	/* an exact copy */
			snprintf(path, sizeof(path), "%s/g%03d-copy.txt", dir,
				 i);
			write_file(path, text, o);
		}
	}
	for (i = 0; i < 10; i++) {
		unsigned char bin[256];
		for (k = 0; k < 256; k++) {
			seed = seed * 1103515245u + 12345u;
			bin[k] = (unsigned char)(seed >> 16);
		}
		bin[0] = 0;
		snprintf(path, sizeof(path), "%s/h%03d.bin", dir, i);
		write_file(path, bin, sizeof(bin));
	}
}

static void test_import_survives_kill(const char *bin, const char *work)
{
	char data[600], dir[600], *out = NULL, batch[64] = "";
	struct server s;
	int i, status;
	long left = -1;

	begin("server killed during a 207-file import: nothing lost or stuck");
	snprintf(data, sizeof(data), "%s/import-data", work);
	snprintf(dir, sizeof(dir), "%s/import-set", work);
	make_import_set(dir);
	/* The hostile files too: the server must keep answering. */
	{
		static const char *hostile[] = { "laughs", "xxe", "zeros",
						 "overlap", "notzip",
						 "truncated", "encrypted" };
		size_t k;
		for (k = 0; k < 7; k++) {
			char from[700], to[700];
			snprintf(from, sizeof(from), "%s/%s.docx", work,
				 hostile[k]);
			snprintf(to, sizeof(to), "%s/x-%s.docx", dir,
				 hostile[k]);
			CHECK(link(from, to) == 0);
		}
	}
	CHECK(server_start(&s, bin, data, NULL) == 0);
	{
		const char *a[] = { bin, "import", "--data", data,
				    "--queue-only", dir, NULL };
		status = run(a, NULL, &out);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK_HAS(out, "queued 207 files");
		if (out && strstr(out, "(batch "))
			sscanf(strstr(out, "(batch ") + 7, "%32[0-9a-f]", batch);
		free(out);
	}
	/* Let some conversions finish, then kill -9. */
	for (i = 0; i < 100; i++) {
		const char *a[] = { bin, "queue", "--data", data, "--batch",
				    batch, "--json", NULL };
		run(a, NULL, &out);
		left = json_num(out, "queued");
		free(out);
		if (left >= 0 && left < 177)
			break;
		{
			struct resp r;
			CHECK(http_get(s.port, "/healthz", &r) == 0 &&
			      r.status == 200);
			resp_free(&r);
		}
		usleep(50000);
	}
	kill(s.pid, SIGKILL);
	waitpid(s.pid, NULL, 0);
	CHECK(left > 0);	/* killed mid-way, not after */
	CHECK(server_start(&s, bin, data, NULL) == 0);
	for (i = 0; i < 600; i++) {
		const char *a[] = { bin, "queue", "--data", data, "--batch",
				    batch, "--json", NULL };
		run(a, NULL, &out);
		left = json_num(out, "queued") + json_num(out, "running");
		if (left == 0)
			break;
		free(out);
		out = NULL;
		usleep(100000);
	}
	CHECK(left == 0);
	CHECK(json_num(out, "imported") == 180);
	CHECK(json_num(out, "duplicate") == 10);
	CHECK(json_num(out, "rejected") == 17);
	CHECK(json_num(out, "near-duplicate") == 0);
	if (left != 0 || json_num(out, "imported") != 180)
		fprintf(stderr, "  queue: %s", out ? out : "(none)");
	free(out);
	{
		struct resp r;
		CHECK(http_get(s.port, "/healthz", &r) == 0 && r.status == 200);
		resp_free(&r);
	}
	CHECK(server_stop(&s) == 0);
	end();
}

static void test_import_cli(const char *bin, const char *work)
{
	char data[600], dir[600], path[700], *out = NULL;
	int status;

	begin("wenku import --json: imported, duplicate, near-duplicate, rejected");
	snprintf(data, sizeof(data), "%s/import2-data", work);
	snprintf(dir, sizeof(dir), "%s/import2", work);
	mkdir(dir, 0755);
	{
		FILE *in = fopen("tests/data/parse/reference-lecture.docx", "rb");
		char buf[65536];
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;
		if (in)
			fclose(in);
		snprintf(path, sizeof(path), "%s/a.docx", dir);
		write_file(path, buf, n);
		snprintf(path, sizeof(path), "%s/b-same.docx", dir);
		write_file(path, buf, n);
	}
	{
		/* The lecture's own text as txt: the same words, another
		 * file - a near duplicate. */
		FILE *in = fopen("tests/data/parse/reference-lecture.txt", "rb");
		char buf[65536];
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;
		if (in)
			fclose(in);
		snprintf(path, sizeof(path), "%s/c-text.txt", dir);
		write_file(path, buf, n);
	}
	snprintf(path, sizeof(path), "%s/d-bad.docx", dir);
	write_file(path, "\x7f\0\x02\x03PK\0", 7);
	{
		const char *a[] = { bin, "import", "--data", data, "--json",
				    "--publish", dir, NULL };
		status = run(a, NULL, &out);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The two identical files run at once: either may win. */
	CHECK((strstr(out, "a.docx\",\"status\":\"imported\",\"id\":1,") &&
	       strstr(out, "b-same.docx\",\"status\":\"duplicate\",\"id\":1,")) ||
	      (strstr(out, "a.docx\",\"status\":\"duplicate\",\"id\":1,") &&
	       strstr(out, "b-same.docx\",\"status\":\"imported\",\"id\":1,")));
	CHECK_HAS(out, "c-text.txt\",\"status\":\"near-duplicate\",\"id\":2,"
		       "\"reason\":\"resembles document 1");
	CHECK_HAS(out, "d-bad.docx\",\"status\":\"rejected\",\"id\":null,"
		       "\"reason\":\"file type not recognised");
	free(out);
	end();
}

/* Legacy Word: converted by LibreOffice when it is installed, else a
 * rejection that says LibreOffice is needed. Either way a clear answer. */
static void test_legacy_doc(const char *rel)
{
	const char *a[] = { rel, "convert", "--json",
			    "tests/data/parse/poi-61490-chinese-headings.doc",
			    NULL };
	char *out = NULL;
	int status;

	status = run(a, NULL, &out);
	if (access("/usr/bin/soffice", X_OK) == 0) {
		begin("legacy .doc converted through LibreOffice");
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK_HAS(out, "\"format\":\"doc\"");
		CHECK_HAS(out, "章节1.1的内容，有点长");
	} else {
		begin("legacy .doc without LibreOffice: rejected, saying so");
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		CHECK_HAS(out, "need LibreOffice, which is not installed");
	}
	if (cur_failed)
		fprintf(stderr, "  %s\n", out ? out : "");
	free(out);
	end();
}

/* A 4-page PDF: page 1 (30% of 4, rounded down) is free as a
 * watermarked image, with a cover; page 2 is not served to anyone. */
static void test_page_images(const char *bin, const char *work)
{
	char data[600], path[700], hdr[128], *out = NULL;
	struct server s;
	struct resp r;
	long id;
	int status;

	begin("pdf preview pages rendered, watermarked, served behind the check");
	snprintf(data, sizeof(data), "%s/pdf-data", work);
	{
		const char *a[] = { bin, "import", "--data", data, "--publish",
				    "--json",
				    "tests/data/parse/pypdf-pdflatex-outline.pdf",
				    NULL };
		status = run(a, NULL, &out);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_HAS(out, "\"status\":\"imported\"");
	id = json_num(out, "id");
	free(out);
	CHECK(id > 0);
	CHECK(server_start(&s, bin, data, NULL) == 0);
	snprintf(path, sizeof(path), "/d/%ld/page/1", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
	CHECK(resp_header(&r, "content-type", hdr, sizeof(hdr)) == 0 &&
	      !strcmp(hdr, "image/png"));
	CHECK(r.body_len > 1000 && !memcmp(r.body, "\x89PNG", 4));
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld/cover", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
	resp_free(&r);
	/* Past the free pages: nothing, whoever asks. */
	snprintf(path, sizeof(path), "/d/%ld/page/2", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 404);
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld/page/0", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 400);
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
	snprintf(path, sizeof(path), "<img src=\"/d/%ld/page/1\"", id);
	CHECK_HAS(r.body, path);
	snprintf(path, sizeof(path), "/d/%ld/page/2\"", id);
	CHECK(!strstr(r.body, path));
	resp_free(&r);
	CHECK(server_stop(&s) == 0);
	end();
}

/* A long Word document: with LibreOffice its free pages are rendered by
 * a "pages" job the server runs after the document is published;
 * without, no such job is queued. */
static void test_office_pages(const char *bin, const char *work)
{
	char data[600], path[700], *xml, *out = NULL;
	size_t o = 0, cap = 400000;
	struct server s;
	struct resp r;
	int i, k, status;
	long id, left = -1;
	int have = access("/usr/bin/soffice", X_OK) == 0;

	begin(have ? "Word pages rendered through LibreOffice after publishing"
		   : "without LibreOffice no page-image job is queued");
	xml = malloc(cap);
	o += (size_t)snprintf(xml, cap, "<?xml version=\"1.0\"?><w:document "
		"xmlns:w=\"http://schemas.openxmlformats.org/"
		"wordprocessingml/2006/main\"><w:body>");
	for (i = 0; i < 120; i++) {
		o += (size_t)snprintf(xml + o, cap - o, "<w:p><w:r><w:t>");
		for (k = 0; k < 20; k++)
			o += (size_t)snprintf(xml + o, cap - o,
					      "第%d段第%d句，各部门要认真落实。",
					      i, k);
		o += (size_t)snprintf(xml + o, cap - o,
				      "</w:t></w:r></w:p>");
	}
	snprintf(xml + o, cap - o, "</w:body></w:document>");
	snprintf(path, sizeof(path), "%s/long.docx", work);
	CHECK(write_docx(path, xml, NULL) == 0);
	free(xml);
	snprintf(data, sizeof(data), "%s/office-data", work);
	{
		const char *a[] = { bin, "import", "--data", data, "--publish",
				    "--json", path, NULL };
		status = run(a, NULL, &out);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	id = json_num(out, "id");
	free(out);
	CHECK(id > 0);
	{
		const char *a[] = { bin, "queue", "--data", data, "--json",
				    NULL };
		run(a, NULL, &out);
		/* Queued: the pages job, waiting for a server. */
		CHECK(json_num(out, "queued") == (have ? 1 : 0));
		free(out);
	}
	if (!have) {
		end();
		return;
	}
	CHECK(server_start(&s, bin, data, NULL) == 0);
	for (i = 0; i < 600 && left != 0; i++) {
		const char *a[] = { bin, "queue", "--data", data, "--json",
				    NULL };
		usleep(100000);
		run(a, NULL, &out);
		left = json_num(out, "queued") + json_num(out, "running");
		free(out);
	}
	CHECK(left == 0);
	snprintf(path, sizeof(path), "/d/%ld/page/1", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200 &&
	      r.body_len > 1000 && !memcmp(r.body, "\x89PNG", 4));
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld", id);
	CHECK(http_get(s.port, path, &r) == 0);
	snprintf(path, sizeof(path), "<img src=\"/d/%ld/page/1\"", id);
	CHECK_HAS(r.body, path);
	resp_free(&r);
	CHECK(server_stop(&s) == 0);
	end();
}

/* Children of the zygote are as locked down as spawned workers: a child
 * kept blocked writing its (large) result shows Seccomp: 2 and
 * NoNewPrivs: 1, and the zygote reports its pid and a clean exit. */
static void test_zygote_children_locked(const char *rel)
{
	struct zygote_req_t {
		uint64_t mem_bytes;
		uint32_t cpu_seconds;
		int32_t share;
		char watermark[256];
	} q;
	struct zygote_reply_t {
		int32_t kind, pid, status;
		int64_t maxrss_kb, cpu_ms;
	} rp;
	posix_spawn_file_actions_t fa;
	char cbuf[CMSG_SPACE(2 * sizeof(int))], path[64], line[256];
	const char *a[] = { rel, "zygote", NULL };
	struct iovec iov = { &q, sizeof(q) };
	struct msghdr m;
	struct cmsghdr *c;
	int sv[2], in[2], out[2], fds[2], i, seccomp = 0, nnp = 0;
	pid_t zpid;
	char *text;
	FILE *f;

	begin("zygote children: Seccomp: 2, NoNewPrivs: 1, status reported");
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_addclose(&fa, sv[0]);
	CHECK(posix_spawn(&zpid, rel, &fa, NULL, (char *const *)a,
			  environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	memset(&q, 0, sizeof(q));
	q.mem_bytes = 512u << 20;
	q.cpu_seconds = 10;
	fds[0] = in[0];
	fds[1] = out[1];
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	CHECK(sendmsg(sv[0], &m, 0) == (ssize_t)sizeof(q));
	close(in[0]);
	close(out[1]);
	CHECK(recv(sv[0], &rp, sizeof(rp), 0) == (ssize_t)sizeof(rp) &&
	      rp.kind == 1 && rp.pid > 0);
	/* 300 KB of text: its frame is larger than the pipe, so the child
	 * blocks writing it, sandboxed, until we read. */
	text = malloc(300000);
	for (i = 0; i < 299999; i++)
		text[i] = i % 80 == 79 ? '\n' : 'a' + i % 26;
	text[299999] = '\n';
	CHECK(write(in[1], text, 300000) == 300000);
	close(in[1]);
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)rp.pid);
	for (i = 0; i < 100 && !seccomp; i++) {
		usleep(20000);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (!strcmp(line, "Seccomp:\t2\n"))
				seccomp = 1;
			if (!strcmp(line, "NoNewPrivs:\t1\n"))
				nnp = 1;
		}
		fclose(f);
	}
	CHECK(seccomp);
	CHECK(nnp);
	{
		char buf[65536];
		while (read(out[0], buf, sizeof(buf)) > 0)
			;
	}
	close(out[0]);
	CHECK(recv(sv[0], &rp, sizeof(rp), 0) == (ssize_t)sizeof(rp) &&
	      rp.kind == 2 && WIFEXITED(rp.status) &&
	      WEXITSTATUS(rp.status) == 0);
	close(sv[0]);
	waitpid(zpid, NULL, 0);
	end();
}

/* Markup in a file's title and text is shown as text everywhere. */
static void test_markup_in_files(const char *bin, const char *work)
{
	char data[600], path[700], *out = NULL;
	static const char text[] =
		"<script>alert(3)</script>\n"
		"第一段：<b onmouseover=\"x()\">粗体</b> & \"引号\" '单引号'。"
		"这里有足够多的文字，让它成为一篇可以发布的文档，"
		"内容继续写下去，写到超过预览的最低限度也没有关系。\n";
	struct server s;
	struct resp r;
	long id;
	int status;

	begin("markup in a file's title and text is shown as text");
	snprintf(data, sizeof(data), "%s/markup-data", work);
	snprintf(path, sizeof(path), "%s/markup.txt", work);
	write_file(path, text, sizeof(text) - 1);
	{
		const char *a[] = { bin, "import", "--data", data, "--publish",
				    "--json", path, NULL };
		status = run(a, NULL, &out);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	id = json_num(out, "id");
	free(out);
	CHECK(server_start(&s, bin, data, NULL) == 0);
	CHECK(http_get(s.port, "/", &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "&lt;script&gt;alert(3)&lt;/script&gt;");
	CHECK(!strstr(r.body, "<script>alert(3)"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/d/%ld", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "<title>&lt;script&gt;alert(3)&lt;/script&gt;");
	/* (The preview of so short a document stops at half of it.) */
	CHECK_HAS(r.body, "&lt;b onmouseover=&quot;x()&quot;&gt;粗体&lt;/b&gt; "
			  "&amp;");
	CHECK(!strstr(r.body, "<b onmouseover"));
	CHECK(!strstr(r.body, "<script>alert(3)"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/documents/%ld", id);
	CHECK(http_get(s.port, path, &r) == 0 && r.status == 200);
	CHECK_HAS(r.body, "\"title\":\"\\u003cscript\\u003ealert(3)");
	CHECK(!strstr(r.body, "<script>"));
	resp_free(&r);
	CHECK(server_stop(&s) == 0);
	end();
}

void ingest_tests(const char *bin, const char *rel, const char *work)
{
	test_markup_in_files(bin, work);
	test_zygote_children_locked(rel);
	test_office_pages(bin, work);
	test_page_images(bin, work);
	test_legacy_doc(rel);
	test_worker_sandbox(rel);
	test_hostile_files(rel, work);
	test_import_cli(bin, work);
	test_import_survives_kill(bin, work);
}
