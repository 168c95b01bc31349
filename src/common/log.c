/*
 * stderr logger.  Each line is formatted into a stack buffer and written with
 * a single write(2), so lines from concurrent threads never interleave.
 * Control characters in logged fields are replaced, so a crafted path cannot
 * forge log lines; in JSON, so are bytes above ASCII, so every line is
 * valid JSON whatever a request carried.
 *
 * A warning or error repeated within a second is counted rather than
 * written (a full disk fails every request alike, and must not also fill
 * the log); the count is reported with the next line.
 */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static enum log_format format = LOG_TEXT;
static int access_on = 1;
static const char *level_names[LOG__MAX] = { "debug", "info", "warn", "error" };
static _Thread_local const char *current_request;

void
log_set_level(enum log_level min)
{
	min_level = min;
}

void
log_set_format(enum log_format f)
{
	format = f;
}

void
log_set_request(const char *request_id)
{
	current_request = request_id;
}

const char *
log_request(void)
{
	return current_request;
}

void
log_access_enable(int on)
{
	access_on = on;
}

/* The time, as 2026-11-29T15:56:33.264Z, into out. */
static size_t
stamp(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(out + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
	return n;
}

/* A line being built in a fixed buffer; what does not fit is cut. */
struct line {
	char	 buf[2048];
	size_t	 len;
};

static void
put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - 2 - l->len)
		n = sizeof(l->buf) - 2 - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
putf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(l->buf + l->len, sizeof(l->buf) - 1 - l->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->len += (size_t)k < sizeof(l->buf) - 2 - l->len ? (size_t)k :
		    sizeof(l->buf) - 2 - l->len;
}

/* s as a JSON string, quotes included; unsafe bytes become '?'. */
static void
put_json(struct line *l, const char *s)
{
	put(l, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };

			put(l, esc, 2);
		} else
			put(l, c < 0x20 || c >= 0x7f ? "?" : s, 1);
	}
	put(l, "\"", 1);
}

static void
emit(struct line *l)
{
	if (format == LOG_TEXT)
		for (size_t i = 0; i < l->len; i++)
			if ((unsigned char)l->buf[i] < 0x20 || l->buf[i] == 0x7f)
				l->buf[i] = '?';
	l->buf[l->len++] = '\n';
	if (write(STDERR_FILENO, l->buf, l->len) < 0) {
		/* Nowhere left to report it. */
	}
}

static struct {
	pthread_mutex_t	 lock;
	char		 msg[256];	/* the last warning or error written */
	struct timespec	 when;		/* when it was written */
	unsigned long	 more;		/* repeats not written since */
} repeat = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Whether msg repeats the last warning or error of less than a second ago
 * (then it is only counted).  Otherwise *more is how many repeats of the
 * last one went unwritten, and msg becomes the last.
 */
static int
repeated(const char *msg, unsigned long *more)
{
	struct timespec now;
	int same, recent;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&repeat.lock);
	same = strncmp(msg, repeat.msg, sizeof(repeat.msg) - 1) == 0;
	recent = now.tv_sec - repeat.when.tv_sec < 1 ||
	    (now.tv_sec - repeat.when.tv_sec == 1 && now.tv_nsec < repeat.when.tv_nsec);
	if (same && recent) {
		repeat.more++;
		pthread_mutex_unlock(&repeat.lock);
		return 1;
	}
	*more = repeat.more;
	repeat.more = 0;
	repeat.when = now;
	snprintf(repeat.msg, sizeof(repeat.msg), "%.255s", msg);
	pthread_mutex_unlock(&repeat.lock);
	return 0;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct line l = { .len = 0 };
	char msg[1600], when[40];
	unsigned long more = 0;
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level >= LOG_WARN && repeated(msg, &more))
		return;
	if (more > 0) {
		size_t n = strlen(msg);

		snprintf(msg + n, sizeof(msg) - n, " (%lu repeat%s of the line before not "
		    "written)", more, more == 1 ? "" : "s");
	}
	stamp(when, sizeof(when));
	if (format == LOG_JSON) {
		putf(&l, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":", when, level_names[level]);
		put_json(&l, msg);
		if (current_request != NULL) {
			put(&l, ",\"request_id\":", 14);
			put_json(&l, current_request);
		}
		put(&l, "}", 1);
	} else {
		putf(&l, "%s %s: %s", when, level_names[level], msg);
		if (current_request != NULL)
			putf(&l, " (request %s)", current_request);
	}
	emit(&l);
}

void
log_access(const char *addr, const char *method, const char *path,
    unsigned status, uint64_t micros, const char *request_id)
{
	struct line l = { .len = 0 };
	char when[40];

	if (!access_on)
		return;
	stamp(when, sizeof(when));
	if (format == LOG_JSON) {
		putf(&l, "{\"time\":\"%s\",\"level\":\"access\",\"addr\":", when);
		put_json(&l, addr);
		put(&l, ",\"method\":", 10);
		put_json(&l, method);
		put(&l, ",\"path\":", 8);
		put_json(&l, path);
		putf(&l, ",\"status\":%u,\"micros\":%llu,\"request_id\":", status,
		    (unsigned long long)micros);
		put_json(&l, request_id ? request_id : "");
		put(&l, "}", 1);
	} else
		putf(&l, "%s access %s %s %.200s %u %lluus %s", when, addr, method, path, status,
		    (unsigned long long)micros, request_id ? request_id : "-");
	emit(&l);
}
