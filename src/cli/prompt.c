/*
 * Questions on a terminal; see prompt.h.  Answers are read from fd 0 a
 * byte at a time, not through stdio: no copy of a secret is left behind in
 * stdin's buffer, and nothing typed after the line is taken from the next
 * reader.
 *
 * Trap: the terminal's settings are global state shared with the shell.
 * Between echo_off and echo_on, on_signal owns them: it may run at any
 * point, so it touches only what was ready before it was installed.
 */
#include "prompt.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../common/xmalloc.h"
#include "cli.h"

/* The signals that end or stop the program while echo is off. */
static const int tty_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU
};
#define N_SIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static struct termios tty_saved;	/* as the terminal was */
static struct termios tty_quiet;	/* the same without echo */
static struct sigaction tty_handler;
static struct sigaction tty_before[N_SIGNALS];

/*
 * The terminal as it was, then the signal's own action: the program ends
 * here, or stops until SIGCONT and then goes on reading with echo off again.
 * Only async-signal-safe calls (tcsetattr, sigaction, sigprocmask, raise,
 * write).
 */
static void
on_signal(int sig)
{
	struct sigaction dfl;
	int saved_errno = errno;
	sigset_t set;

	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_saved);
	if (write(STDERR_FILENO, "\n", 1) == -1) {
		/* nothing to be done about it in a handler */
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Only a stop signal comes back here, once continued. */
	sigaction(sig, &tty_handler, NULL);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_quiet);
	errno = saved_errno;
}

/* Turns the echo of stdin, a terminal, off: 0, or -1 with the reason printed. */
static int
echo_off(void)
{
	struct sigaction before;

	if (tcgetattr(STDIN_FILENO, &tty_saved) == -1) {
		cli_error("cannot read the terminal's settings: %s", strerror(errno));
		return -1;
	}
	tty_quiet = tty_saved;
	tty_quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	memset(&tty_handler, 0, sizeof(tty_handler));
	tty_handler.sa_handler = on_signal;
	tty_handler.sa_flags = SA_RESTART;
	sigemptyset(&tty_handler.sa_mask);
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaddset(&tty_handler.sa_mask, tty_signals[i]);
	/* Before the echo goes: a signal in between finds the handler ready. */
	for (size_t i = 0; i < N_SIGNALS; i++) {
		sigaction(tty_signals[i], NULL, &before);
		tty_before[i] = before;
		if (before.sa_handler != SIG_IGN)	/* ignored stays ignored */
			sigaction(tty_signals[i], &tty_handler, NULL);
	}
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_quiet) == -1) {
		cli_error("cannot turn the terminal's echo off: %s", strerror(errno));
		for (size_t i = 0; i < N_SIGNALS; i++)
			sigaction(tty_signals[i], &tty_before[i], NULL);
		return -1;
	}
	return 0;
}

/* The terminal as echo_off found it, and the signals' actions. */
static void
echo_on(void)
{
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_saved);
	for (size_t i = 0; i < N_SIGNALS; i++)
		sigaction(tty_signals[i], &tty_before[i], NULL);
}

/*
 * One line of fd 0 into buf (NUL-terminated, no newline): its length, -1 at
 * the end of input, or -2 with the reason printed.
 */
static ssize_t
read_line(char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		if ((r = read(STDIN_FILENO, &c, 1)) == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			cli_error("cannot read stdin: %s", strerror(errno));
			return -2;
		}
		if (r == 0 && n == 0)
			return -1;	/* end of input */
		if (r == 0 || c == '\n')
			break;
		if (n + 1 >= cap) {
			cli_error("that line is longer than %zu bytes", cap - 1);
			return -2;
		}
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (ssize_t)n;
}

int
prompt_line(const char *prompt, int secret, char **out)
{
	char buf[PROMPT_MAX];
	int quiet = secret && isatty(STDIN_FILENO);
	ssize_t n;

	*out = NULL;
	/* Echo off first: what is typed once the prompt shows is never echoed nor lost. */
	if (quiet && echo_off() == -1)
		return -1;
	if (prompt != NULL) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	if ((n = read_line(buf, sizeof(buf))) >= 0)
		*out = xstrdup(buf);
	if (quiet) {
		echo_on();
		fputc('\n', stderr);	/* the newline typed was not echoed */
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return n == -2 ? -1 : 0;
}
