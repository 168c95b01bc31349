/*
 * Allocation that never returns NULL.  Running out of memory is fatal, as in
 * tmux and redis: every input is capped before it is allocated for, so a huge
 * allocation cannot be triggered from outside, and no caller needs an
 * out-of-memory path of its own.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* A NUL-terminated copy of the first len bytes of p (which may hold NULs). */
char *xmemdup0(const void *p, size_t len);
/* Wipes len bytes at p with OPENSSL_cleanse, then frees p.  NULL is a no-op. */
void xfree_secret(void *p, size_t len);
/* xfree_secret for a NUL-terminated string. */
void xfree_secret_str(char *s);
/* Prints "twauth: fatal: ..." and exits with status 1. */
void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
