/*
 * stderr logger.  Each line is formatted into a stack buffer and written with
 * a single write(2), so lines from concurrent threads never interleave.
 * Control characters in logged fields are replaced, so a crafted path cannot
 * forge log lines.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static int access_on = 1;
static const char *level_names[LOG__MAX] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level min)
{
	min_level = min;
}

void
log_access_enable(int on)
{
	access_on = on;
}

static size_t
stamp(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(out + n, size - n, ".%03ldZ ", ts.tv_nsec / 1000000);
	return n;
}

static void
emit(char *line, size_t len, size_t size)
{
	if (len >= size - 1)
		len = size - 2;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0) {
		/* Nowhere left to report it. */
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048];
	size_t n;
	int k;
	va_list ap;

	if (level < min_level)
		return;
	n = stamp(line, sizeof(line));
	k = snprintf(line + n, sizeof(line) - n, "%s: ", level_names[level]);
	if (k > 0)
		n += (size_t)k;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k;
	emit(line, n, sizeof(line));
}

void
log_access(const char *addr, const char *method, const char *path,
    unsigned status, uint64_t micros)
{
	char line[512];
	size_t n;
	int k;

	if (!access_on)
		return;
	n = stamp(line, sizeof(line));
	k = snprintf(line + n, sizeof(line) - n, "access %s %s %.200s %u %lluus",
	    addr, method, path, status, (unsigned long long)micros);
	if (k > 0)
		n += (size_t)k;
	emit(line, n, sizeof(line));
}
