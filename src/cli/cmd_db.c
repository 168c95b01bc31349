/* twauth db: keeping the database: a backup while servers run, a check. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct db_opts {
	const char	*db;
	int		 json;
	int		 help;
};

enum db_sub { DB_BACKUP, DB_CHECK };

static const struct opt db_options[] = {
	{ "json", OPT_AS_ON(struct db_opts, json),
	    .help = "(check) {\"ok\": true|false, \"problems\": [...]}" },
	CLI_ROW_DB(struct db_opts, db),
	CLI_ROW_HELP(struct db_opts, help),
	{ .name = NULL }
};

static const struct cli_cmd db_cmd = {
	.name = "db",
	.subs = (const char *const[]){ [DB_BACKUP] = "backup", [DB_CHECK] = "check", NULL },
	.rows = db_options,
	.how = OPT_TAKE_ARGS,
	.head = "Usage: twauth db backup FILE [--db PATH]\n"
	    "       twauth db check [--json] [--db PATH|URI]\n"
	    "\n"
	    "Subcommands:\n"
	    "  backup FILE   copies an SQLite database into the new file FILE (0600;\n"
	    "                an existing file is not replaced), consistently, while\n"
	    "                servers keep running.  Back up the secret file too\n"
	    "                (<database>.secret, or $TWAUTH_SECRET_FILE): without it the\n"
	    "                copy's signing keys cannot be opened.  For PostgreSQL use\n"
	    "                pg_dump.\n"
	    "  check         checks the database: SQLite's integrity and foreign keys;\n"
	    "                for PostgreSQL, that it answers at the expected schema\n"
	    "                version.  Exit status 0 if all is well, 1 if not.\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "Examples:\n"
	    "  twauth db backup /var/backups/twauth-$(date +%F).db\n"
	    "  twauth db check --db /var/lib/twauth/twauth.db\n",
};

struct problems {
	json_t	*list;		/* --json */
	int	 json;
};

static void
report(void *arg, const char *problem)
{
	struct problems *p = arg;

	if (p->json)
		json_array_append_new(p->list, json_string(problem));
	else
		printf("problem: %s\n", problem);
}

int
cmd_db(int argc, char **argv)
{
	struct problems p = { NULL, 0 };
	struct db_opts o = { 0 };
	struct optsource src;
	struct cli_args a;
	struct store *st;
	struct idp *idp;
	char err[512];
	int n, rc;

	if ((rc = cli_parse(&db_cmd, argc, argv, &o, &src, &a)) != -1)
		goto out;
	rc = EXIT_OK;
	p.json = o.json;
	if (a.n != (a.sub == DB_BACKUP)) {
		cli_error(a.sub == DB_BACKUP ? "db backup wants the FILE to write" :
		    "db check takes no arguments");
		rc = cli_usage_hint("db");
		goto out;
	}
	if (cli_open(cli_db_path(o.db), NULL, 0, &st, &idp) == -1) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (a.sub == DB_BACKUP) {
		const char *file = a.v[0];

		if (store_backup(st, file, err, sizeof(err)) == -1) {
			cli_error("%s", err);
			rc = store_spec_is_pg(cli_db_path(o.db)) ? EXIT_USAGE : EXIT_FAIL;
		} else
			printf("Backed up %s to %s.  Keep the secret file with it.\n",
			    store_where(st), file);
	} else {
		p.list = json_array();
		n = store_check(st, report, &p);
		if (n < 0) {
			cli_error("could not check %s", store_where(st));
			rc = EXIT_FAIL;
		} else if (p.json)
			cli_print_json(json_pack("{s:b, s:O}", "ok", n == 0, "problems", p.list));
		else if (n == 0)
			printf("%s: ok\n", store_where(st));
		if (n != 0 && rc == EXIT_OK)
			rc = EXIT_FAIL;
		json_decref(p.list);
	}
	cli_close(st, idp);
out:
	opt_free(db_options, &o, &src);
	return rc;
}
