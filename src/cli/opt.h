/*
 * A command's options as rows of a table.  A row names a long option and
 * says what its value is (a type, a range or the values allowed), which
 * field of the command's struct it sets, what no value means, which
 * subcommands take it, and its help.  The command line (getopt_long), the
 * config file and the environment (optsource.c, for commands that read
 * them), --help and the report of what was read all go through the rows,
 * so adding an option is adding a row.
 *
 * Long options are taken by their whole names only, never abbreviated:
 * an abbreviation would turn "--client-secret S" into "--client-secret-stdin"
 * and a stray argument, and adding an option would break the abbreviations
 * scripts use.  An unknown one is refused naming it, with the rows' names
 * nearest to it ("did you mean --scopes?").
 *
 * Traps: OPT_STR and OPT_ARGS fields point into the arguments (struct
 * optsource) and live as long as they do; OPT_LIST values are copies.
 * opt_free frees both kinds of list.  The struct must hold its defaults
 * before opt_read.
 */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/compiler.h"
#include "optsource.h"

enum opt_type {
	OPT_STR,	/* const char *: the argument itself, once .check accepts it */
	OPT_UINT,	/* unsigned, from .min to .max */
	OPT_I64,	/* int64_t, from .min to .max */
	OPT_ON,		/* a flag: sets an int to 1 */
	OPT_OFF,	/* a flag: sets an int to 0 */
	OPT_VAL,	/* a flag: sets an int to .min; with .items, see below */
	OPT_CHOICE,	/* int: the index of the value in .choices */
	OPT_LIST,	/* struct opt_list: at most .max values (255 bytes), through .canon */
	OPT_ARGS,	/* struct opt_list: the arguments themselves, at most .max (0: any) */
	OPT__MAX
};

/* Row flags. */
#define OPT_ARGV	0x1	/* from the command line only, not a file or the environment */
#define OPT_FILE	0x2	/* names the config file (command line or PREFIX + NAME) */
#define OPT_HELP	0x4	/* --help: the parse ends at it, what follows unread */
#define OPT_HIDDEN	0x8	/* another name of the row before it: not in --help nor completion */

/*
 * OPT_VAL rows of one field with .items are alternatives ("--user",
 * "--implicit", "--device" of items "flow"): giving more than one, or one
 * twice, is refused as "choose one flow: --user, --implicit or --device".
 * Without .items the last one given wins.
 *
 * A row is named in messages by its short option when it has one ("-q"),
 * else by its long one ("--name").
 */

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
	/* OPT_UINT, OPT_I64: the range; OPT_LIST, OPT_ARGS: .max values; OPT_VAL: .min */
	int64_t		  min, max;
	const char *const *choices;	/* OPT_CHOICE: the values, NULL-ended */
	/* OPT_STR: 0, or -1 with the reason printed; flag is the row's name ("--name"). */
	int		(*check)(const char *flag, const char *value);
	/* OPT_LIST: value's canonical form into out; 0, or -1 with the reason printed. */
	int		(*canon)(const char *flag, const char *value, char *out, size_t len);
	/* OPT_STR: what the report prints for value (NULL when unset). */
	const char	*(*show)(const char *value);
	/* OPT_LIST, OPT_ARGS: what values are ("at most 16 --name ITEMS"); OPT_VAL above. */
	const char	 *items;
	/* OPT_UINT, OPT_I64: a value out of range is "--name takes MIN to MAX UNIT". */
	const char	 *unit;
	/* NULL, or the subcommands (opt_ctx.sub) that take it, NULL-ended: OPT_ONLY. */
	const char *const *only;
	const char	 *unset;	/* what no value (NULL, 0, no values) means */
	const char	 *help;		/* wrapped by --help, which adds range and default */
	int		  short_name;	/* 'h', or 0 */
	unsigned	  group;	/* opt_usage prints one group at a time */
	unsigned	  flags;	/* OPT_ARGV, OPT_FILE, OPT_HELP, OPT_HIDDEN */
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
#define OPT_AS_VAL(S, f, v)	.type = OPT_VAL, .off = OPT_FIELD(S, f, int), .min = (v)
#define OPT_AS_CHOICE(S, f)	.type = OPT_CHOICE, .off = OPT_FIELD(S, f, int)
#define OPT_AS_LIST(S, f)	.type = OPT_LIST, .off = OPT_FIELD(S, f, struct opt_list)
#define OPT_AS_ARGS(S, f)	.type = OPT_ARGS, .off = OPT_FIELD(S, f, struct opt_list)
/* .only of a row: OPT_ONLY("create", "passwd"). */
#define OPT_ONLY(...)		((const char *const[]){ __VA_ARGS__, NULL })

#define OPT_REPORT_WIDTH	20	/* the report's name column */

/* Whether the row's option takes no value. */
int opt_is_flag(const struct opt *o);

/* How opt_read takes what follows the options (opt_ctx.how). */
#define OPT_TAKE_ARGS	0x1	/* arguments may follow the options, else they are refused */
#define OPT_FIRST_ARG	0x2	/* the options end at the first argument (a command's own flags) */

/* Who reads the options, and how. */
struct opt_ctx {
	const char	*cmd;		/* "app": messages say "'twauth app create'" */
	const char	*sub;		/* its subcommand, matched against rows' .only; or NULL */
	const char	*env_prefix;	/* the environment's PREFIX and the file; NULL: neither */
	unsigned	 how;		/* OPT_TAKE_ARGS, OPT_FIRST_ARG */
};

/* The arguments after the options, pointers into struct optsource. */
struct opt_args {
	char	**v;
	int	  n;
};

/*
 * Reads the options of rows (ended by a row whose name is NULL) into the
 * struct at base, which holds the defaults: from argv (argv[0] is the
 * command, ctx->cmd names it in messages), over the environment
 * (env_prefix + NAME), over the config file (optsource.h).  src keeps the
 * arguments OPT_STR and OPT_ARGS fields point into; free both with
 * opt_free, also after a failure.  Returns 0 with the arguments after the
 * options in *args, 1 when an OPT_HELP row ended the parse (its field
 * set), or -1 with the reason printed and, for a setting from the file
 * or the environment, where it came from.
 */
int opt_read(const struct opt *rows, const struct opt_ctx *ctx, int argc, char **argv,
    void *base, struct optsource *src, struct opt_args *args) MUST_CHECK;
/*
 * opt_read for a command (argv[0]) that takes no arguments ("unexpected
 * argument 'x'"), no subcommand.
 */
int opt_parse(const struct opt *rows, int argc, char **argv, const char *env_prefix,
    void *base, struct optsource *src) MUST_CHECK;
/* Sets the row's field in base from value: 0, or -1 with the reason printed. */
int opt_set(const struct opt *o, const char *value, void *base) MUST_CHECK;
/*
 * The help of the rows of group: "  --name ARG  help (range; default)",
 * wrapped, with the defaults read from the struct at defaults (NULL: none
 * but the rows' .unset); a row with .only starts "(create) ".
 */
void opt_usage(FILE *f, const struct opt *rows, unsigned group, const void *defaults);
/* What the struct at base holds: "  name  value" for each row but OPT_ARGV ones. */
void opt_report(FILE *f, const struct opt *rows, const void *base);
/* Frees the OPT_LIST and OPT_ARGS lists in base, and src. */
void opt_free(const struct opt *rows, void *base, struct optsource *src);

/*
 * Completion (twauth completion): after opt_complete(word), opt_read reads
 * nothing but prints on stdout, one a line, what completes word after the
 * arguments it was given: the "--name" of each row for ctx's subcommand
 * when word starts with '-', an OPT_CHOICE row's values after it (or after
 * its '=').  It then returns -1, as a refusal would, so no caller goes on
 * to run the command, with src empty.  cli_run completes subcommands with
 * opt_offer.  word must outlive the completion; opt_complete(NULL) ends it.
 */
void opt_complete(const char *word);
/* The word being completed; NULL when not completing. */
const char *opt_completing(void);
/* Prints the first len bytes of candidate if they complete the word. */
void opt_offer(const char *candidate, size_t len);

#endif
