/*
 * Shared by the subcommands: exit statuses, where the database is, opening
 * it, and printing errors the same way everywhere.
 */
#ifndef CLI_H
#define CLI_H

#include <jansson.h>
#include <stdio.h>

#include "../common/compiler.h"
#include "../idp/idp.h"
#include "../store/store.h"
#include "opt.h"

#define EXIT_OK		0
#define EXIT_FAIL	1	/* the operation failed (database, network) */
#define EXIT_USAGE	2	/* bad arguments or input; nothing changed */

#define CLI_DEFAULT_DB	"./data/twauth.db"

/* --db if given, else $TWAUTH_DB, else CLI_DEFAULT_DB. */
const char *cli_db_path(const char *flag);
/*
 * Opens the store at db and an idp on it with cfg (defaults when NULL),
 * and with key_secret the secret file that seals the signing keys (made if
 * missing).  Prints the reason and returns -1 on failure.
 */
int cli_open(const char *db, const struct idp_config *cfg, int key_secret,
    struct store **st, struct idp **idp);
void cli_close(struct store *st, struct idp *idp);
/*
 * Reads the secret file that seals the OpenID Connect signing keys into
 * cfg: $TWAUTH_SECRET_FILE, else "<db>.secret".  With create, a missing
 * file is made (0600, random).  Prints the reason and returns -1 on failure.
 */
int cli_key_secret(const char *db, int create, struct idp_config *cfg);  /* secret.c */
/* "twauth: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints an idp error and returns the exit status it deserves. */
int cli_idp_error(enum idp_err err);
/* Prints "see 'twauth CMD --help'" and returns EXIT_USAGE. */
int cli_usage_hint(const char *cmd);

/*
 * A command as its parser and its --help see it: its option rows (opt.h),
 * its subcommands if it has any, and the text of --help around the rows'
 * lines (head ends with "Options:\n").
 */
struct cli_cmd {
	const char		*name;		/* "app" */
	/* NULL-ended, indexed by the command's enum; "redirect add" is two words. */
	const char *const	*subs;		/* NULL: no subcommands */
	const struct opt	*rows;
	unsigned		 how;		/* opt_ctx.how: OPT_TAKE_ARGS ... */
	const void		*defaults;	/* the struct's defaults, for --help; or NULL */
	const char		*head;
	const char		*tail;
};

/* What follows the command name. */
struct cli_args {
	int		  sub;		/* the index in subs; -1 without subcommands */
	char		**v;		/* the arguments after the options */
	int		  n;
};

/*
 * Reads argv (argv[0] is the command's name) into *out and the struct at
 * base, which holds the defaults: the subcommand, then the options of the
 * rows.  Returns -1 to go on; else the exit status to return, with --help
 * printed (on stderr, for a command with subcommands given none) or the
 * usage error explained.  Free base's lists and src with opt_free after.
 */
int cli_parse(const struct cli_cmd *c, int argc, char **argv, void *base,
    struct optsource *src, struct cli_args *out) MUST_CHECK;
/* c's --help: head, the rows', tail. */
void cli_usage(const struct cli_cmd *c, FILE *f);

/* Rows every server command has: --db and --help (opt_ctx is cli_parse's). */
#define CLI_ROW_DB(S, f) \
	{ "db", OPT_AS_STR(S, f), .arg = "PATH", .unset = "$TWAUTH_DB, else " CLI_DEFAULT_DB, \
	    .help = "database: a file, or a postgres:// URI" }
#define CLI_ROW_HELP(S, f) \
	{ "help", OPT_AS_ON(S, f), .short_name = 'h', .flags = OPT_HELP, .help = "this help" }

/* "2026-11-25 03:42:00Z" for a Unix time, into out (at least 32 bytes). */
void cli_format_time(int64_t t, char *out, size_t len);
/* Prints j indented on stdout, wipes the text (it may hold a secret), frees j. */
void cli_print_json(json_t *j);

int cmd_serve(int argc, char **argv);
int cmd_app(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_api(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_configure(int argc, char **argv);

#endif
