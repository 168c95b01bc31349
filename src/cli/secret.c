/*
 * The secret file: TW_KEY_SECRET_LEN random bytes that seal the OpenID
 * Connect private keys in the database (src/idp/keys.c).  It lives outside
 * the database on purpose: a copy of the database alone (a backup, a dump)
 * holds no usable signing key.  Every server sharing a database needs the
 * same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/rand.h"
#include "cli.h"

/* $TWAUTH_SECRET_FILE, else "<db>.secret" beside an SQLite database. */
static int
secret_path(const char *db, char *out, size_t len)
{
	const char *env = getenv("TWAUTH_SECRET_FILE");

	if (env != NULL && *env != '\0')
		return (size_t)snprintf(out, len, "%s", env) < len ? 0 : -1;
	if (strstr(db, "://") != NULL)
		return -1;	/* a database URL: the file must be named */
	return (size_t)snprintf(out, len, "%s.secret", db) < len ? 0 : -1;
}

/*
 * Creates path with fresh random bytes, mode 0600, never over a file, and
 * never visible half-written: the bytes go to a temporary file that is then
 * linked into place, so a server starting at the same moment either finds
 * no file or the whole of it.  -1 with errno EEXIST if path appeared first.
 */
static int
create_secret(const char *path, uint8_t *secret)
{
	char tmp[4096 + 16];
	ssize_t n;
	int fd, rc = -1, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)	/* mode 0600 */
		return -1;
	rand_bytes(secret, TW_KEY_SECRET_LEN);
	n = write(fd, secret, TW_KEY_SECRET_LEN);
	if (n == TW_KEY_SECRET_LEN && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		rc = link(tmp, path);
	}
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	if (rc == -1)
		OPENSSL_cleanse(secret, TW_KEY_SECRET_LEN);
	errno = saved;
	return rc;
}

int
cli_key_secret(const char *db, int create, struct idp_config *cfg)
{
	char path[4096];
	uint8_t buf[TW_KEY_SECRET_LEN + 1];
	struct stat sb;
	ssize_t n;
	int fd;

	if (secret_path(db, path, sizeof(path)) == -1) {
		cli_error("set TWAUTH_SECRET_FILE to the file that seals the signing keys "
		    "(the same on every server of this database)");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create) {
		if (create_secret(path, cfg->key_secret) == 0) {
			cfg->has_key_secret = 1;
			return 0;
		}
		/* Another server sharing the file made it a moment ago: use theirs. */
		if (errno != EEXIST || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			cli_error("cannot create the secret file %s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (fd == -1 && errno == ENOENT) {
		cli_error("the database's signing keys are sealed with the secret file %s, which "
		    "is not there: put it back (or set TWAUTH_SECRET_FILE to where it is); "
		    "nothing was created", path);
		return -1;
	}
	if (fd == -1) {
		cli_error("cannot open the secret file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
		fprintf(stderr, "twauth: warning: %s is readable by others; chmod 600 it\n", path);
	/* One byte more than expected tells a longer file from the right one. */
	n = read(fd, buf, sizeof(buf));
	close(fd);
	memcpy(cfg->key_secret, buf, TW_KEY_SECRET_LEN);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (n != TW_KEY_SECRET_LEN) {
		OPENSSL_cleanse(cfg->key_secret, sizeof(cfg->key_secret));
		cli_error("the secret file %s must hold exactly %d bytes", path,
		    TW_KEY_SECRET_LEN);
		return -1;
	}
	cfg->has_key_secret = 1;
	return 0;
}
