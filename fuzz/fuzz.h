/*
 * What every fuzz target shares.  A target is one function, libFuzzer's
 * LLVMFuzzerTestOneInput, given bytes from outside; it feeds them to one
 * parser and checks what that parser promises, aborting if it breaks a
 * promise (a crash, a leak or a sanitizer report fails the run the same
 * way).  `make fuzz` links each with libFuzzer; `make test` links them
 * with replay.c instead and runs the seed corpus and every input that
 * once failed (fuzz/regress/), so those stay fixed without clang.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (inputs may hold NULs: cut at the first). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Aborts with a message when a promise is broken. */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif
