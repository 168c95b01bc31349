/*
 * A growable byte buffer with a hard cap.  buf_add refuses (returns -1 and
 * leaves the buffer as it was) instead of growing past the cap, so a caller
 * that forwards outside bytes into a buf cannot be made to allocate more than
 * it chose.  The contents are always NUL-terminated for convenience; len does
 * not count the NUL.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;	/* allocated, including room for the NUL */
	size_t	 cap;	/* largest len allowed */
};

void buf_init(struct buf *b, size_t cap);
/* Returns 0, or -1 if len + n would exceed the cap (nothing is added). */
int buf_add(struct buf *b, const void *p, size_t n)
    __attribute__((warn_unused_result));
int buf_add_cstr(struct buf *b, const char *s)
    __attribute__((warn_unused_result));
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((warn_unused_result, format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Frees the contents; the struct may be reused after buf_init. */
void buf_free(struct buf *b);
/* Wipes the contents before freeing them. */
void buf_free_secret(struct buf *b);

#endif
