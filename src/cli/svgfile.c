/*
 * `twauth app audit ID --svg FILE`: the timeline picture (src/idp/
 * timeline.h) written to FILE, or to stdout for "-".
 *
 * An output file is replaced, as users expect of one, but never left half
 * written: the picture goes to a temporary file beside it (mode 0644: a
 * picture holds no secret), reaches the disk, and takes FILE's name in
 * one rename.  A symbolic link at FILE is replaced by the picture, not
 * followed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../idp/timeline.h"
#include "cli.h"

/* All of the len bytes at p to fd: 0, or -1 with errno. */
static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
cli_write_svg(const char *path, const struct audit_report *r)
{
	char tmp[4096];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t len, dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	char *svg = timeline_svg(r, TIMELINE_WIDTH_DEFAULT, &len);
	int fd = -1, made = 0, rc = -1;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, svg, len) == -1)
			cli_error("writing the picture to stdout: %s", strerror(errno));
		else
			rc = 0;
		goto out;
	}
	if (*base == '\0') {
		cli_error("--svg %s: that names a directory; give a file name", path);
		goto out;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", (int)dir_len, path, base) >=
	    sizeof(tmp)) {
		cli_error("--svg: the path is too long");
		goto out;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		cli_error("--svg %s: %s", path, strerror(errno));
		goto out;
	}
	made = 1;
	if (fchmod(fd, 0644) == -1 || write_all(fd, svg, len) == -1 || fsync(fd) == -1) {
		cli_error("writing %s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc == -1) {
		cli_error("writing %s: %s", tmp, strerror(errno));
		goto out;
	}
	if ((rc = rename(tmp, path)) == -1)
		cli_error("--svg %s: %s", path, strerror(errno));
out:
	if (fd != -1)
		close(fd);
	if (rc == -1 && made)
		unlink(tmp);
	free(svg);
	return rc;
}
