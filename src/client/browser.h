/*
 * Opening a URL in the user's browser: $BROWSER, else the desktop's opener
 * (xdg-open; open on macOS).  It is started with stdin, stdout and stderr
 * on /dev/null, so its chatter never mixes with what twauth prints, and
 * never waited for.
 */
#ifndef CLIENT_BROWSER_H
#define CLIENT_BROWSER_H

#include <stddef.h>

#include "../common/compiler.h"

/* 0 once started, or -1 with the reason in err. */
int browser_open(const char *url, char *err, size_t err_len) MUST_CHECK;

#endif
