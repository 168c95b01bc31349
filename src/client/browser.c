/* Starting the user's browser; see browser.h. */
#include "browser.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int
browser_open(const char *url, char *err, size_t err_len)
{
	const char *browser = getenv("BROWSER");
	const char *argv[3] = { NULL, url, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc = 0;

#ifdef __APPLE__
	argv[0] = browser && browser[0] ? browser : "open";
#else
	argv[0] = browser && browser[0] ? browser : "xdg-open";
#endif
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Nobody waits for it: once we exit, init reaps it. */
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0) {
		snprintf(err, err_len, "could not start '%s'; open the URL yourself.", argv[0]);
		rc = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}
