/*
 * Shared by the subcommands: exit statuses, where the database is, opening
 * it, and printing errors the same way everywhere.
 */
#ifndef CLI_H
#define CLI_H

#include <jansson.h>
#include <stdio.h>

#include "../idp/idp.h"
#include "../store/store.h"

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

/* "twauth CMD SUB [--db PATH] [--json] [ARG ...]", read by cli_sub_parse. */
struct cli_sub {
	const char	 *sub;		/* one of the subcommands given */
	const char	 *db;		/* --db, or NULL */
	int		  json;		/* --json */
	char		**args;		/* what follows the options */
	int		  n_args;
};
/*
 * Reads argv (argv[0] is CMD) into *out, SUB being one of subs (NULL-
 * terminated).  Returns -1 to go on; else the exit status to return, with
 * the help printed or the usage error explained.
 */
int cli_sub_parse(int argc, char **argv, const char *cmd, const char *const *subs,
    void (*usage)(FILE *), struct cli_sub *out);

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
