/* twauth db: keeping the database: a backup while servers run, a check. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum db_sub { DB_BACKUP, DB_CHECK };

static int db_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

const struct cli_cmd db_cmd = {
	.name = "db",
	.subs = (const struct cli_sub[]){
		[DB_BACKUP] = { "backup", 1, "wants the FILE to write" },
		[DB_CHECK] = { "check", 0, "takes no arguments" }, { NULL }
	},
	.rows = cli_db_options,
	.size = sizeof(struct cli_db_opts),
	.run = db_run,
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
	    "                With --json: {\"ok\": true|false, \"problems\": [...]}.\n"
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

static int
db_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	const struct cli_db_opts *o = opts;
	const struct cli_sub *sub = &c->subs[a->sub];
	struct problems p = { NULL, o->json };
	struct store *st;
	struct idp *idp;
	char err[512];
	int n, rc = EXIT_OK;

	if (a->n != sub->n_args) {
		cli_error("db %s %s", sub->name, sub->args);
		return cli_usage_hint("db");
	}
	if (cli_open(cli_db_path(o->db), NULL, 0, &st, &idp) == -1)
		return EXIT_FAIL;
	if (a->sub == DB_BACKUP) {
		const char *file = a->v[0];

		if (store_backup(st, file, err, sizeof(err)) == -1) {
			cli_error("%s", err);
			rc = store_spec_is_pg(cli_db_path(o->db)) ? EXIT_USAGE : EXIT_FAIL;
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
	return rc;
}
