/*
 * Options from a file and from the environment, for a command whose every
 * long option may be set there too (twauth serve).  They become ordinary
 * "--name=value" arguments placed before the command line's, so one
 * getopt loop sees them all and the last setting wins: the command line
 * over the environment, the environment over the file.
 *
 * The file: one setting per line, "name = value" (or "name value"), name
 * being the long option without its dashes; a flag without value is
 * "name" or "name = true|false"; lines starting with '#' are comments.
 * The environment: PREFIX + the name in capitals with '_' for '-' (for
 * twauth serve, TWAUTH_PUBLIC_URL for --public-url); options that may be
 * repeated take several values separated by commas or spaces.
 */
#ifndef CLI_OPTSOURCE_H
#define CLI_OPTSOURCE_H

#include <getopt.h>
#include <stddef.h>

#define OPTSOURCE_MAX_FILE	(1 << 20)	/* bytes of a config file */
#define OPTSOURCE_MAX_LINE	4096		/* bytes of one of its lines */

struct optsource {
	int	  argc;
	char	**argv;		/* argv[0], the file's, the environment's, the command line's */
	char	**made;		/* the arguments made here (argv holds them too) */
	char	**origin;	/* for each of made: "FILE line N" or "$NAME" */
	size_t	  n_made;
};

/*
 * Builds out from argv, the file named by --config FILE on the command
 * line (or $PREFIXCONFIG), and the environment.  opts is the command's
 * table; names in skip (NULL-ended) come from neither file nor
 * environment; names in repeat may be given more than once.  Prints the
 * reason (file and line) and returns -1 on a bad file.
 */
int optsource_build(int argc, char **argv, const struct option *opts, const char *env_prefix,
    const char *const *skip, const char *const *repeat, struct optsource *out);
/* Where the argument arg (a pointer into out->argv) came from; NULL: the command line. */
const char *optsource_origin(const struct optsource *s, const char *arg);
void optsource_free(struct optsource *s);

#endif
