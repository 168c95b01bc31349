/*
 * Options from a file and from the environment, for a command whose every
 * option row (opt.h) but the OPT_ARGV ones may be set there too (twauth
 * serve).  They become ordinary "--name=value" arguments placed before the
 * command line's, so one getopt loop sees them all and the last setting
 * wins: the command line over the environment, the environment over the
 * file.
 *
 * The file: the one the OPT_FILE row names, on the command line
 * ("--config FILE") or else in PREFIX + its name ($TWAUTH_CONFIG).  One
 * setting per line, "name = value" (or "name value"), name being the long
 * option without its dashes; a flag without value is "name" or "name =
 * true|false"; lines starting with '#' are comments.
 * The environment: PREFIX + the name in capitals with '_' for '-' (for
 * twauth serve, TWAUTH_PUBLIC_URL for --public-url); OPT_LIST options take
 * several values separated by commas or spaces.
 */
#ifndef CLI_OPTSOURCE_H
#define CLI_OPTSOURCE_H

#include <stddef.h>

#include "../common/compiler.h"

#define OPTSOURCE_MAX_FILE	(1 << 20)	/* bytes of a config file */
#define OPTSOURCE_MAX_LINE	4096		/* bytes of one of its lines */

struct optsource {
	int	  argc;
	char	**argv;		/* argv[0], the file's, the environment's, the command line's */
	char	**made;		/* the arguments made here (argv holds them too) */
	char	**origin;	/* for each of made: "FILE line N" or "$NAME" */
	size_t	  n_made;
};

struct opt;

/*
 * Builds out from argv, the config file and the environment, for the
 * option rows of the command (ended by a row whose name is NULL); with
 * env_prefix NULL from argv alone, no file unless an OPT_FILE row names
 * one on the command line.  Prints
 * the reason (file and line, or variable) and returns -1 on a bad file
 * or setting.
 */
int optsource_build(int argc, char **argv, const struct opt *rows, const char *env_prefix,
    struct optsource *out) MUST_CHECK;
/* Where the argument arg (a pointer into out->argv) came from; NULL: the command line. */
const char *optsource_origin(const struct optsource *s, const char *arg);
void optsource_free(struct optsource *s);

#endif
