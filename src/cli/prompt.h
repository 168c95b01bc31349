/*
 * Questions on a terminal: the prompt on stderr, the answer one line of
 * stdin.  A secret is typed with the terminal's echo off, as OpenBSD's
 * readpassphrase does it: the settings are put back on every way out,
 * Ctrl-C (SIGINT) and the other signals that end or stop the program
 * included, by a handler that does only what is async-signal-safe.
 */
#ifndef CLI_PROMPT_H
#define CLI_PROMPT_H

#include "../common/compiler.h"

#define PROMPT_MAX	4096	/* bytes of an answer, its newline included */

/*
 * Prints prompt (unless NULL) on stderr and reads a line from stdin; with
 * secret and stdin a terminal, without echoing what is typed.  Returns 0
 * with the line in *out without its newline (malloc'd; a secret's is for
 * xfree_secret_str), or NULL at end of input; or -1 with the reason
 * printed (a read error, a line longer than PROMPT_MAX).
 */
int prompt_line(const char *prompt, int secret, char **out) MUST_CHECK;

#endif
