/*
 * A command's options as rows of a table.  A row names a long option and
 * says what its value is (a type, a range or the values allowed), which
 * field of the command's struct it sets, what no value means, and its
 * help.  The command line (getopt_long), the config file and the
 * environment (optsource.c), --help and the report of what was read all
 * go through the rows, so adding an option is adding a row.
 *
 * Traps: an OPT_STR field points into the arguments (struct optsource)
 * and lives as long as they do; OPT_LIST values are copies, freed by
 * opt_free.  The struct must hold its defaults before opt_parse.
 */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "optsource.h"

enum opt_type {
	OPT_STR,	/* const char *: the argument itself, once .check accepts it */
	OPT_UINT,	/* unsigned, from .min to .max */
	OPT_I64,	/* int64_t, from .min to .max */
	OPT_ON,		/* a flag: sets an int to 1 */
	OPT_OFF,	/* a flag: sets an int to 0 */
	OPT_CHOICE,	/* int: the index of the value in .choices */
	OPT_LIST,	/* struct opt_list: at most .max values (255 bytes), through .canon */
	OPT__MAX
};

/* Row flags. */
#define OPT_ARGV	0x1	/* from the command line only, not a file or the environment */
#define OPT_FILE	0x2	/* names the config file (command line or PREFIX + NAME) */

/* The values of an OPT_LIST field, in the order given. */
struct opt_list {
	char	**v;
	size_t	  n;
};

struct opt {
	/* The long option; the config file's setting; PREFIX + NAME in capitals. */
	const char	 *name;
	enum opt_type	  type;
	size_t		  off;		/* the field: OPT_FIELD below */
	const char	 *arg;		/* the value in --help ("SECS"); OPT_CHOICE: .choices */
	int64_t		  min, max;	/* OPT_UINT, OPT_I64: the range; OPT_LIST: values at most */
	const char *const *choices;	/* OPT_CHOICE: the values, NULL-ended */
	/* OPT_STR: 0, or -1 with the reason printed; flag is "--name". */
	int		(*check)(const char *flag, const char *value);
	/* OPT_LIST: value's canonical form into out; 0, or -1 with the reason printed. */
	int		(*canon)(const char *flag, const char *value, char *out, size_t len);
	/* OPT_STR: what the report prints for value (NULL when unset). */
	const char	*(*show)(const char *value);
	const char	 *items;	/* OPT_LIST: what values are ("at most 16 --name ITEMS") */
	const char	 *unset;	/* what no value (NULL, 0, no values) means */
	const char	 *help;		/* wrapped by --help, which adds range and default */
	int		  short_name;	/* 'h', or 0 */
	unsigned	  group;	/* opt_usage prints one group at a time */
	unsigned	  flags;	/* OPT_ARGV, OPT_FILE */
};

/*
 * .type and .off of a row for member f (of type T) of struct S.  Naming
 * the wrong type for f is a compiler diagnostic, not a field overwritten.
 */
#define OPT_FIELD(S, f, T)	(offsetof(S, f) + 0 * sizeof((T *){ &((S *)0)->f }))
#define OPT_AS_STR(S, f)	.type = OPT_STR, .off = OPT_FIELD(S, f, const char *)
#define OPT_AS_UINT(S, f)	.type = OPT_UINT, .off = OPT_FIELD(S, f, unsigned)
#define OPT_AS_I64(S, f)	.type = OPT_I64, .off = OPT_FIELD(S, f, int64_t)
#define OPT_AS_ON(S, f)		.type = OPT_ON, .off = OPT_FIELD(S, f, int)
#define OPT_AS_OFF(S, f)	.type = OPT_OFF, .off = OPT_FIELD(S, f, int)
#define OPT_AS_CHOICE(S, f)	.type = OPT_CHOICE, .off = OPT_FIELD(S, f, int)
#define OPT_AS_LIST(S, f)	.type = OPT_LIST, .off = OPT_FIELD(S, f, struct opt_list)

#define OPT_REPORT_WIDTH	20	/* the report's name column */

/* Whether the row's option takes no value. */
int opt_is_flag(const struct opt *o);

/*
 * Reads the options of rows (ended by a row whose name is NULL) into the
 * struct at base, which holds the defaults: from argv (argv[0] is the
 * command), over the environment (env_prefix + NAME), over the config
 * file (optsource.h).  src keeps the arguments OPT_STR fields point into;
 * free both with opt_free, also after a failure.  Returns 0, or -1 with
 * the reason printed and, for a setting from the file or the
 * environment, where it came from.
 */
int opt_parse(const struct opt *rows, int argc, char **argv, const char *env_prefix,
    void *base, struct optsource *src) __attribute__((warn_unused_result));
/* Sets the row's field in base from value: 0, or -1 with the reason printed. */
int opt_set(const struct opt *o, const char *value, void *base)
    __attribute__((warn_unused_result));
/*
 * The help of the rows of group: "  --name ARG  help (range; default)",
 * wrapped, with the defaults read from the struct at defaults.
 */
void opt_usage(FILE *f, const struct opt *rows, unsigned group, const void *defaults);
/* What the struct at base holds: "  name  value" for each row but OPT_ARGV ones. */
void opt_report(FILE *f, const struct opt *rows, const void *base);
/* Frees the OPT_LIST values in base, and src. */
void opt_free(const struct opt *rows, void *base, struct optsource *src);

#endif
