/*
 * Logging to stderr, one line per event, safe from any thread (each line is
 * one write(2)).  Nothing secret is ever passed here: callers log a short
 * digest prefix (log_fingerprint) instead of a token, code or secret.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG__MAX };
enum log_format { LOG_TEXT, LOG_JSON };

void log_set_level(enum log_level min);
/*
 * Text lines ("TIME LEVEL: message"), or one JSON object per line
 * ({"time","level","msg"} and for requests "request_id").
 */
void log_set_format(enum log_format f);
/* The request this thread is serving now (NULL: none), named in its lines. */
void log_set_request(const char *request_id);
/* The request this thread works for (log_set_request), or NULL. */
const char *log_request(void);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

/* Turns the per-request access log on or off (on by default). */
void log_access_enable(int on);
/* One access-log line: method, path (no query), status, microseconds, request id. */
void log_access(const char *addr, const char *method, const char *path,
    unsigned status, uint64_t micros, const char *request_id);

#endif
