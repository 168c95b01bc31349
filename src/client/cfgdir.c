/* The client's configuration directory; see cfgdir.h. */
#include "cfgdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/limits.h"
#include "../common/str.h"

/* mkdir -p with mode for every directory made. */
static MUST_CHECK int
make_dirs(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, mode) == -1 && errno != EEXIST ? -1 : 0;
}

int
cfgdir_path(char *out, size_t len, char *err, size_t err_len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct stat st;
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, len, "%s/twauth", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(out, len, "%s/.config/twauth", home);
	else
		return str_errf(err, err_len, "neither $XDG_CONFIG_HOME nor $HOME is an "
		    "absolute path; set one to say where tokens are kept");
	if (n < 0 || (size_t)n >= len)
		return str_errf(err, err_len, "configuration path too long");
	if (make_dirs(out, 0700) == -1)
		return str_errf(err, err_len, "cannot create %s: %s", out, strerror(errno));
	if (stat(out, &st) == -1)
		return str_errf(err, err_len, "%s: %s", out, strerror(errno));
	/* Tokens live here: nobody else may list or enter it. */
	if ((st.st_mode & 077) != 0 && chmod(out, 0700) == -1)
		return str_errf(err, err_len, "cannot make %s private: %s", out, strerror(errno));
	return 0;
}

int
cfgdir_lock(char *err, size_t err_len)
{
	char dir[4096], path[4200];
	int fd;

	if (cfgdir_path(dir, sizeof(dir), err, err_len) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return str_errf(err, err_len, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX) == -1) {
		close(fd);
		return str_errf(err, err_len, "locking %s: %s", path, strerror(errno));
	}
	return fd;
}

void
cfgdir_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

int
cfgdir_read(const char *name, json_t **out, char *err, size_t err_len)
{
	char dir[4096], path[4200];
	json_error_t je;
	struct stat st;
	FILE *f;

	*out = NULL;
	if (cfgdir_path(dir, sizeof(dir), err, err_len) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			return str_errf(err, err_len, "%s: %s", path, strerror(errno));
		*out = json_object();
		return 0;
	}
	if (fstat(fileno(f), &st) == -1 || st.st_size > TW_CLIENT_MAX_FILE) {
		fclose(f);
		return str_errf(err, err_len, "%s is larger than %d bytes; not ours?", path,
		    TW_CLIENT_MAX_FILE);
	}
	if ((st.st_mode & 077) != 0)
		fprintf(stderr, "twauth: warning: %s is readable by others; it will be "
		    "made 0600 on the next save\n", path);
	*out = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (*out == NULL || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		/* Not je.text: it quotes the file, which holds tokens. */
		return str_errf(err, err_len, "%s is not a JSON object (line %d, column %d); "
		    "move it aside to start afresh", path, je.line, je.column);
	}
	return 0;
}

int
cfgdir_write(const char *name, json_t *obj, char *err, size_t err_len)
{
	char dir[4096], path[4200], tmp[4300];
	char *text;
	size_t len, done = 0;
	ssize_t w;
	int fd, dfd;

	if (cfgdir_path(dir, sizeof(dir), err, err_len) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name);
	if ((text = json_dumps(obj, JSON_INDENT(2) | JSON_SORT_KEYS)) == NULL)
		return str_errf(err, err_len, "out of memory");
	len = strlen(text);
	/* mkstemp makes the file 0600 before a byte is written. */
	if ((fd = mkstemp(tmp)) == -1) {
		explicit_bzero(text, len);
		free(text);
		return str_errf(err, err_len, "%s: %s", tmp, strerror(errno));
	}
	while (done < len) {
		if ((w = write(fd, text + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		done += (size_t)w;
	}
	explicit_bzero(text, len);
	free(text);
	if (done < len || write(fd, "\n", 1) != 1 || fsync(fd) == -1) {
		str_errf(err, err_len, "writing %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		str_errf(err, err_len, "replacing %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The rename itself must reach the disk too. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
