/*
 * backup.c - a consistent copy of a data folder while the site serves,
 * and putting one back (store.h, "backups").
 *
 * The database is copied with SQLite's online backup API in one step
 * (sqlite3_backup_step(-1)), which holds one read transaction: in WAL
 * mode writers go on, and the copy is the database as of one instant.
 * Blobs are immutable and written before the rows that name them, so
 * every blob the copy names exists; each is copied with its SHA-256
 * checked on the way, into a temporary name renamed into place. A
 * restore checks the whole backup the same way before touching the
 * target, and moves what the target held aside instead of deleting it.
 */
#include "store_internal.h"

#include "../base/err.h"
#include "../base/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COPY_BUF (256 * 1024)

static int set_err(char *err, size_t errlen, int rc, const char *fmt,
		   const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b ? b : "");
	return rc;
}

static int mkdir_p(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return WK_ETOOBIG;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++)
		if (tmp[i] == '/' || tmp[i] == '\0') {
			char c = tmp[i];
			tmp[i] = '\0';
			if (mkdir(tmp, 0750) && errno != EEXIST)
				return WK_EIO;
			tmp[i] = c;
		}
	return 0;
}

static int fsync_path(const char *path, bool dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	int rc = 0;

	if (fd < 0)
		return WK_EIO;
	if (fsync(fd))
		rc = WK_EIO;
	close(fd);
	return rc;
}

/* Copy src to dst (through dst.tmp, synced, renamed), checking that the
 * bytes hash to want_hex when it is not NULL. *bytes adds the size. */
static int copy_file(const char *src, const char *dst, const char *want_hex,
		     int64_t *bytes, char *err, size_t errlen)
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];
	char tmp[4200], hex[65];
	unsigned char *buf;
	int in, out, rc = 0;
	ssize_t k;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dst) >= (int)sizeof(tmp))
		return set_err(err, errlen, WK_ETOOBIG, "path too long: %s%s",
			       dst, NULL);
	if ((in = open(src, O_RDONLY)) < 0)
		return set_err(err, errlen, WK_ENOTFOUND, "missing: %s%s", src,
			       NULL);
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) < 0) {
		close(in);
		return set_err(err, errlen, WK_EIO, "cannot write %s: %s", tmp,
			       strerror(errno));
	}
	buf = malloc(COPY_BUF);
	crypto_hash_sha256_init(&h);
	while (buf && (k = read(in, buf, COPY_BUF)) > 0) {
		crypto_hash_sha256_update(&h, buf, (unsigned long long)k);
		if (write(out, buf, (size_t)k) != k) {
			rc = set_err(err, errlen, WK_EIO, "cannot write %s: %s",
				     tmp, strerror(errno));
			break;
		}
		*bytes += k;
	}
	if (!buf)
		rc = WK_ENOMEM;
	free(buf);
	close(in);
	if (!rc && fsync(out))
		rc = set_err(err, errlen, WK_EIO, "cannot sync %s%s", tmp, NULL);
	close(out);
	if (!rc && want_hex) {
		crypto_hash_sha256_final(&h, md);
		sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
		if (strcmp(hex, want_hex))
			rc = set_err(err, errlen, WK_ECONFLICT,
				     "damaged blob: %s does not hash to its "
				     "name%s", src, NULL);
	}
	if (!rc && rename(tmp, dst))
		rc = set_err(err, errlen, WK_EIO, "cannot rename %s: %s", tmp,
			     strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

/* Check that the file at path hashes to want_hex. */
static int check_file(const char *path, const char *want_hex, int64_t *bytes,
		      char *err, size_t errlen)
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES], *buf;
	char hex[65];
	int fd, rc = 0;
	ssize_t k;

	if ((fd = open(path, O_RDONLY)) < 0)
		return set_err(err, errlen, WK_ENOTFOUND, "missing: %s%s", path,
			       NULL);
	if (!(buf = malloc(COPY_BUF))) {
		close(fd);
		return WK_ENOMEM;
	}
	crypto_hash_sha256_init(&h);
	while ((k = read(fd, buf, COPY_BUF)) > 0) {
		crypto_hash_sha256_update(&h, buf, (unsigned long long)k);
		*bytes += k;
	}
	if (k < 0)
		rc = set_err(err, errlen, WK_EIO, "cannot read %s%s", path,
			     NULL);
	free(buf);
	close(fd);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	if (!rc && strcmp(hex, want_hex))
		rc = set_err(err, errlen, WK_ECONFLICT,
			     "damaged blob: %s does not hash to its name%s",
			     path, NULL);
	return rc;
}

static int blob_rel(const char *hex, char *out, size_t n)
{
	return snprintf(out, n, "blobs/%.2s/%.2s/%s", hex, hex + 2, hex) >=
			       (int)n
		       ? WK_ETOOBIG
		       : 0;
}

/* Copy (or, with dst_dir NULL, only check) every blob the database at
 * db_path names, from src_dir to dst_dir. */
static int blobs_copy(const char *db_path, const char *src_dir,
		      const char *dst_dir, struct store_backup_stats *st,
		      char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int rc = 0, k;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT sha256 FROM blobs ORDER BY sha256",
			       -1, &q, NULL) != SQLITE_OK) {
		rc = set_err(err, errlen, WK_EIO, "cannot read %s: %s", db_path,
			     db ? sqlite3_errmsg(db) : "");
		goto out;
	}
	while ((k = sqlite3_step(q)) == SQLITE_ROW) {
		const char *hex = (const char *)sqlite3_column_text(q, 0);
		char rel[200], from[4200], to[4200], dir[4200];

		if (!hex || strlen(hex) != 64 || blob_rel(hex, rel, sizeof(rel))) {
			rc = set_err(err, errlen, WK_EIO,
				     "a malformed blob name in %s%s", db_path,
				     NULL);
			break;
		}
		snprintf(from, sizeof(from), "%s/%s", src_dir, rel);
		if (dst_dir) {
			snprintf(to, sizeof(to), "%s/%s", dst_dir, rel);
			snprintf(dir, sizeof(dir), "%s/blobs/%.2s/%.2s",
				 dst_dir, hex, hex + 2);
			if (mkdir_p(dir)) {
				rc = set_err(err, errlen, WK_EIO,
					     "cannot create %s%s", dir, NULL);
				break;
			}
		}
		rc = dst_dir ? copy_file(from, to, hex, &st->bytes, err, errlen)
			     : check_file(from, hex, &st->bytes, err, errlen);
		if (rc)
			break;
		st->blobs++;
	}
	if (!rc && k != SQLITE_DONE)
		rc = set_err(err, errlen, WK_EIO, "cannot read %s: %s", db_path,
			     sqlite3_errmsg(db));
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

/* PRAGMA integrity_check on the database file at path. */
static int integrity(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int rc = WK_EIO;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		if (v && !strcmp(v, "ok"))
			rc = 0;
		else
			set_err(err, errlen, WK_EIO, "%s fails its integrity "
				"check: %s", path, v ? v : "?");
	} else {
		set_err(err, errlen, WK_EIO, "cannot open %s as a database%s",
			path, NULL);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

/* dir exists and holds nothing (or does not exist: made). */
static int empty_dir(const char *dir, char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (mkdir_p(dir))
		return set_err(err, errlen, WK_EIO, "cannot create %s%s", dir,
			       NULL);
	if (!(d = opendir(dir)))
		return set_err(err, errlen, WK_EIO, "cannot read %s%s", dir,
			       NULL);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n ? set_err(err, errlen, WK_ECONFLICT,
			   "%s is not empty: a backup goes into a new folder%s",
			   dir, NULL)
		 : 0;
}

int store_backup(struct store *s, const char *dest,
		 struct store_backup_stats *st, char *err, size_t errlen)
{
	char dbtmp[4200], dbpath[4200];
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	sqlite3 *src;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = empty_dir(dest, err, errlen)))
		return rc;
	snprintf(dbtmp, sizeof(dbtmp), "%s/wenku.db.tmp", dest);
	snprintf(dbpath, sizeof(dbpath), "%s/wenku.db", dest);
	if (!(src = conn_db(s)))
		return set_err(err, errlen, WK_EIO, "cannot open the database%s",
			       "", NULL);
	if (sqlite3_open(dbtmp, &dst) != SQLITE_OK) {
		sqlite3_close(dst);
		return set_err(err, errlen, WK_EIO, "cannot create %s%s", dbtmp,
			       NULL);
	}
	/* One step: one read snapshot of the whole database. */
	bk = sqlite3_backup_init(dst, "main", src, "main");
	if (!bk) {
		rc = set_err(err, errlen, WK_EIO, "backup: %s%s",
			     sqlite3_errmsg(dst), NULL);
	} else {
		int k;
		while ((k = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY ||
		       k == SQLITE_LOCKED)
			sqlite3_sleep(50);
		rc = k == SQLITE_DONE ? 0
				      : set_err(err, errlen, WK_EIO,
						"backup: %s%s",
						sqlite3_errstr(k), NULL);
		if (sqlite3_backup_finish(bk) != SQLITE_OK && !rc)
			rc = set_err(err, errlen, WK_EIO, "backup: %s%s",
				     sqlite3_errmsg(dst), NULL);
	}
	/* A self-contained file: no WAL beside it. */
	if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL,
				NULL) != SQLITE_OK)
		rc = set_err(err, errlen, WK_EIO, "backup: %s%s",
			     sqlite3_errmsg(dst), NULL);
	sqlite3_close(dst);
	if (!rc && (fsync_path(dbtmp, false) || rename(dbtmp, dbpath)))
		rc = set_err(err, errlen, WK_EIO, "cannot finish %s%s", dbpath,
			     NULL);
	if (rc) {
		unlink(dbtmp);
		return rc;
	}
	{
		struct stat sb;
		if (stat(dbpath, &sb) == 0)
			st->db_bytes = sb.st_size;
	}
	if ((rc = blobs_copy(dbpath, s->dir, dest, st, err, errlen)) ||
	    (rc = integrity(dbpath, err, errlen)))
		return rc;
	return fsync_path(dest, true) ? set_err(err, errlen, WK_EIO,
						"cannot sync %s%s", dest, NULL)
				      : 0;
}

int store_backup_verify(const char *src, struct store_backup_stats *st,
			char *err, size_t errlen)
{
	char dbpath[4200];
	struct stat sb;
	int rc;

	memset(st, 0, sizeof(*st));
	snprintf(dbpath, sizeof(dbpath), "%s/wenku.db", src);
	if (stat(dbpath, &sb))
		return set_err(err, errlen, WK_ENOTFOUND,
			       "%s/wenku.db: no backup there%s", src, NULL);
	st->db_bytes = sb.st_size;
	if ((rc = integrity(dbpath, err, errlen)))
		return rc;
	return blobs_copy(dbpath, src, NULL, st, err, errlen);
}

int store_restore(const char *src, const char *data, bool force,
		  struct store_backup_stats *st, char *err, size_t errlen)
{
	char dbpath[4200], from[4400], aside[4200], path[4400];
	int lock, rc;
	int64_t dbb = 0;

	if ((rc = store_backup_verify(src, st, err, errlen)))
		return rc;
	if (mkdir_p(data))
		return set_err(err, errlen, WK_EIO, "cannot create %s%s", data,
			       NULL);
	/* The server holds this lock while it runs (store_lock_data). */
	if ((lock = store_lock_data(data)) < 0)
		return set_err(err, errlen, WK_ECONFLICT,
			       "%s is in use by a running server: stop it "
			       "first%s", data, NULL);
	snprintf(dbpath, sizeof(dbpath), "%s/wenku.db", data);
	if (access(dbpath, F_OK) == 0) {
		static const char *const moved[] = { "wenku.db", "wenku.db-wal",
						     "wenku.db-shm", "blobs" };
		size_t i;

		if (!force) {
			close(lock);
			return set_err(err, errlen, WK_ECONFLICT,
				       "%s already holds a library (--force "
				       "moves it aside first)%s", data, NULL);
		}
		snprintf(aside, sizeof(aside), "%s/pre-restore-%lld", data,
			 (long long)time(NULL));
		if (mkdir(aside, 0750)) {
			close(lock);
			return set_err(err, errlen, WK_EIO, "cannot create %s%s",
				       aside, NULL);
		}
		for (i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", data, moved[i]);
			snprintf(from, sizeof(from), "%s/%s", aside, moved[i]);
			if (access(path, F_OK) == 0 && rename(path, from)) {
				close(lock);
				return set_err(err, errlen, WK_EIO,
					       "cannot move %s aside%s", path,
					       NULL);
			}
		}
		st->moved_aside = true;
		snprintf(st->aside, sizeof(st->aside), "%s", aside);
	}
	snprintf(from, sizeof(from), "%s/wenku.db", src);
	/* Blobs first, then the database that names them. */
	st->bytes = 0;
	st->blobs = 0;
	rc = blobs_copy(from, src, data, st, err, errlen);
	if (!rc)
		rc = copy_file(from, dbpath, NULL, &dbb, err, errlen);
	if (!rc && fsync_path(data, true))
		rc = set_err(err, errlen, WK_EIO, "cannot sync %s%s", data,
			     NULL);
	close(lock);
	return rc;
}

int store_lock_data(const char *data)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/wenku.lock", data);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return -1;
	}
	return fd;
}
