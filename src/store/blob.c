/*
 * blob.c - original files, content-addressed by sha256 under
 * DATA/blobs/ab/cd/<sha256>. A file is written to a temporary name in the
 * same folder, synced, renamed into place and the folder synced, so a
 * blob either exists whole or not at all; only then is it recorded.
 */
#include "store_internal.h"

#include "../base/err.h"
#include "../base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int valid_hex(const char *hex)
{
	size_t i;
	for (i = 0; i < 64; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		      (hex[i] >= 'a' && hex[i] <= 'f')))
			return 0;
	return hex[64] == '\0';
}

int store_blob_path(struct store *s, const char *hex, char *path,
		    size_t pathlen)
{
	if (!valid_hex(hex))
		return WK_EINVAL;
	if (snprintf(path, pathlen, "%s/blobs/%.2s/%.2s/%s", s->dir, hex,
		     hex + 2, hex) >= (int)pathlen)
		return WK_ETOOBIG;
	return 0;
}

static int mkdir_p(const char *path)
{
	if (mkdir(path, 0750) && errno != EEXIST) {
		log_error("create folder %s: %s", path, strerror(errno));
		return WK_EIO;
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	int rc = 0;
	if (fd < 0)
		return WK_EIO;
	if (fsync(fd))
		rc = WK_EIO;
	close(fd);
	return rc;
}

static int write_file(const char *dir, const char *path, const void *data,
		      size_t len, bool sync)
{
	char tmp[4200];
	const char *p = data;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		log_error("create %s: %s", tmp, strerror(errno));
		return WK_EIO;
	}
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("write %s: %s", tmp, strerror(errno));
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (sync && fsync(fd)) {
		log_error("sync %s: %s", tmp, strerror(errno));
		goto fail;
	}
	close(fd);
	if (rename(tmp, path)) {
		log_error("rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return WK_EIO;
	}
	return sync ? fsync_dir(dir) : 0;
fail:
	close(fd);
	unlink(tmp);
	return WK_EIO;
}

int store_blob_put(struct store *s, const void *data, size_t len,
		   char hex[65])
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char path[4096], dir[4096];
	sqlite3_stmt *st;
	struct stat sb;
	int rc;

	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(hex, 65, hash, sizeof(hash));
	if ((rc = store_blob_path(s, hex, path, sizeof(path))))
		return rc;
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s", s->dir, hex);
	if ((rc = mkdir_p(dir)))
		return rc;
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s/%.2s", s->dir, hex, hex + 2);
	if ((rc = mkdir_p(dir)))
		return rc;
	if (stat(path, &sb) || (size_t)sb.st_size != len) {
		if ((rc = write_file(dir, path, data, len, !s->defer_sync)))
			return rc;
	}
	st = stmt_get(s, "INSERT INTO blobs (sha256, size, created_at) "
			 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return WK_EIO;
	sqlite3_bind_text(st, 1, hex, 64, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	return stmt_exec(st, "record blob");
}

int store_blob_read(struct store *s, const char *hex, size_t max,
		    unsigned char **data, size_t *len)
{
	char path[4096];
	struct stat sb;
	size_t got = 0;
	int fd, rc;

	*data = NULL;
	if ((rc = store_blob_path(s, hex, path, sizeof(path))))
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? WK_ENOTFOUND : WK_EIO;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return WK_EIO;
	}
	if ((size_t)sb.st_size > max) {
		close(fd);
		return WK_ETOOBIG;
	}
	*data = malloc((size_t)sb.st_size + 1);
	if (!*data) {
		close(fd);
		return WK_ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, *data + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)sb.st_size) {
		free(*data);
		*data = NULL;
		log_error("read blob %s: short read", hex);
		return WK_EIO;
	}
	*len = got;
	return 0;
}

void store_blob_defer_sync(struct store *s)
{
	s->defer_sync = true;
}

int store_blob_sync(struct store *s)
{
	char path[4096];
	int fd, rc = 0;

	s->defer_sync = false;
	snprintf(path, sizeof(path), "%s/blobs", s->dir);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd)) {
		log_error("sync blobs in %s: %s", path, strerror(errno));
		rc = WK_EIO;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
