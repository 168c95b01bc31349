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
/* cli_open with the store's settings scfg (NULL: the defaults). */
int cli_open_config(const char *db, const struct store_config *scfg,
    const struct idp_config *cfg, int key_secret, struct store **st, struct idp **idp);
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
/* "unexpected argument 'ARG'" for twauth CMD [SUB] (NULL: none), the hint; EXIT_USAGE. */
int cli_unexpected(const char *cmd, const char *sub, const char *arg);

/*
 * A subcommand: its name, one word or two ("redirect add"), and what it
 * takes after its options, for the command to check and say its own way.
 */
struct cli_sub {
	const char	*name;
	/* How many; -1: the subcommand counts them.  0: cli_run refuses any. */
	int		 n_args;
	const char	*args;		/* what they are ("one CLIENT_ID"), or NULL */
};

/* What follows the command's name, once read. */
struct cli_args {
	int		  sub;		/* the index in subs; -1 without subcommands */
	char		**v;		/* the arguments after the options */
	int		  n;
};

/*
 * A command as cli_run reads and runs it: its option rows (opt.h) and the
 * struct they fill, its subcommands if it has any, the text of --help
 * around the rows' lines (head ends with "Options:\n"), and what it does.
 */
struct cli_cmd {
	const char		*name;		/* "app" */
	const struct cli_sub	*subs;		/* indexed by the command's enum, name NULL last */
	const struct opt	*rows;
	unsigned		 how;		/* OPT_FIRST_ARG, or 0 (see cli_run) */
	size_t			 size;		/* of the struct the rows fill */
	const void		*defaults;	/* what it holds first (NULL: zeros), for --help */
	const char		*head;
	const char		*tail;
	/* Runs with the options read into opts: the exit status. */
	int			(*run)(const struct cli_cmd *c, void *opts,
	    const struct cli_args *a);
};

/*
 * Runs c on argv (argv[0] is its name): reads the subcommand, then the
 * options into a struct of c's that holds its defaults, and runs c with
 * them and the arguments after them, which c checks and refuses in its
 * own words.  Prints --help (on stderr, for a command with subcommands given
 * none) or the usage error, and frees what the options hold.  Returns
 * the exit status.
 */
int cli_run(const struct cli_cmd *c, int argc, char **argv) MUST_CHECK;
/* c's --help: head, the rows', tail. */
void cli_usage(const struct cli_cmd *c, FILE *f);

/* --db, which every server command has, and --help, which every command has. */
#define CLI_ROW_DB(S, f) \
	{ "db", OPT_AS_STR(S, f), .arg = "PATH", .unset = "$TWAUTH_DB, else " CLI_DEFAULT_DB, \
	    .help = "database: a file, or a postgres:// URI" }
#define CLI_ROW_HELP(S, f) \
	{ "help", OPT_AS_ON(S, f), .short_name = 'h', .flags = OPT_HELP, .help = "this help" }

/* The options of a server command that has no others (keys, db). */
struct cli_db_opts {
	const char	*db;
	int		 json;
	int		 help;
};
extern const struct opt cli_db_options[];

/* "2026-11-25 03:42:00Z" for a Unix time, into out (at least 32 bytes). */
void cli_format_time(int64_t t, char *out, size_t len);
/* Prints j indented on stdout, wipes the text (it may hold a secret), frees j. */
void cli_print_json(json_t *j);

struct audit_report;
/*
 * app audit --svg: r's timeline (src/idp/timeline.h) written to path,
 * replaced whole (a temporary file beside it, renamed; mode 0644), or to
 * stdout for "-".  0, or -1 with the reason printed (svgfile.c).
 */
int cli_write_svg(const char *path, const struct audit_report *r) MUST_CHECK;

/* The commands: cli_run's, and those that read their arguments their own way. */
extern const struct cli_cmd app_cmd, user_cmd, keys_cmd, db_cmd, validate_cmd, refresh_cmd,
    revoke_cmd, api_cmd, exec_cmd, configure_cmd, chaos_cmd;
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);	/* token, and token list */
int cmd_completion(int argc, char **argv);

/* A command of twauth: run by cli_run (cmd), or by run of its own. */
struct cli_command {
	const char		*name;
	const struct cli_cmd	*cmd;
	int			(*run)(int argc, char **argv);
	const char		*summary;
};
/* Every command, in the order of the overview; name NULL last (commands.c). */
extern const struct cli_command cli_commands[];
/* Runs c on argv (argv[0] its name): the exit status. */
int cli_command_run(const struct cli_command *c, int argc, char **argv);

#endif
