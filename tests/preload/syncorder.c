/*
 * A test's witness of the order of two things in twauth serve: a file
 * reaching the disk (fsync, fdatasync) and an HTTP answer leaving (a
 * write to a socket that starts "HTTP/1.1 "), loaded with LD_PRELOAD by
 * tests/e2e/durability_sync.test.mjs.  Each event is one line appended to
 * $TWAUTH_SYNC_LOG, a sync after it has completed, an answer before it is
 * sent:
 *	synced /path/of/the/file
 *	answer 200
 * Built by make test (without sanitizers: it is not twauth's code).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int log_fd = -2;

static void
note(const char *line, size_t len)
{
	static ssize_t (*real_write)(int, const void *, size_t);

	if (log_fd == -2) {
		const char *path = getenv("TWAUTH_SYNC_LOG");

		log_fd = path ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	}
	if (real_write == NULL)
		real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (log_fd >= 0)
		(void)real_write(log_fd, line, len);
}

static void
synced(int fd)
{
	char path[512], proc[64], line[600];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((n = readlink(proc, path, sizeof(path) - 1)) < 0)
		n = 0;
	path[n] = '\0';
	note(line, (size_t)snprintf(line, sizeof(line), "synced %s\n", path));
}

/* An answer's status line, if buf starts one on a socket. */
static void
maybe_answer(int fd, const void *buf, size_t len)
{
	struct stat sb;
	char line[32];

	if (len < 12 || memcmp(buf, "HTTP/1.1 ", 9) != 0 || fstat(fd, &sb) != 0 ||
	    !S_ISSOCK(sb.st_mode))
		return;
	note(line, (size_t)snprintf(line, sizeof(line), "answer %.3s\n", (const char *)buf + 9));
}

int
fsync(int fd)
{
	static int (*real)(int);
	int rc;

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if ((rc = real(fd)) == 0)
		synced(fd);
	return rc;
}

int
fdatasync(int fd)
{
	static int (*real)(int);
	int rc;

	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	if ((rc = real(fd)) == 0)
		synced(fd);
	return rc;
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, const void *, size_t, int);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t, int))dlsym(RTLD_NEXT, "send");
	maybe_answer(fd, buf, len);
	return real(fd, buf, len, flags);
}

ssize_t
sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (real == NULL)
		real = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
	if (msg->msg_iovlen > 0)
		maybe_answer(fd, msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len);
	return real(fd, msg, flags);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (real == NULL)
		real = (ssize_t (*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
	if (n > 0)
		maybe_answer(fd, iov[0].iov_base, iov[0].iov_len);
	return real(fd, iov, n);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	maybe_answer(fd, buf, len);
	return real(fd, buf, len);
}
