/* twauth db: keeping the database: a backup while servers run, a check. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *f)
{
	fputs("Usage: twauth db backup FILE [--db PATH]\n"
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
	    "Options:\n"
	    "  --json        (check) {\"ok\": true|false, \"problems\": [...]}\n"
	    "  --db PATH     database: a file, or a postgres:// URI (default $TWAUTH_DB,\n"
	    "                else " CLI_DEFAULT_DB ")\n"
	    "  -h, --help    this help\n"
	    "\n"
	    "Examples:\n"
	    "  twauth db backup /var/backups/twauth-$(date +%F).db\n"
	    "  twauth db check --db /var/lib/twauth/twauth.db\n", f);
}

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
	static const char *const subs[] = { "backup", "check", NULL };
	struct problems p = { NULL, 0 };
	struct cli_sub a;
	struct store *st;
	struct idp *idp;
	char err[512];
	int n, want_args, rc;

	if ((rc = cli_sub_parse(argc, argv, "db", subs, usage, &a)) != -1)
		return rc;
	rc = EXIT_OK;
	p.json = a.json;
	want_args = strcmp(a.sub, "backup") == 0 ? 1 : 0;
	if (a.n_args != want_args) {
		cli_error(want_args ? "db backup wants the FILE to write" : "db check takes no "
		    "arguments");
		return cli_usage_hint("db");
	}
	if (cli_open(cli_db_path(a.db), NULL, 0, &st, &idp) == -1)
		return EXIT_FAIL;
	if (strcmp(a.sub, "backup") == 0) {
		const char *file = a.args[0];

		if (store_backup(st, file, err, sizeof(err)) == -1) {
			cli_error("%s", err);
			rc = store_spec_is_pg(cli_db_path(a.db)) ? EXIT_USAGE : EXIT_FAIL;
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
