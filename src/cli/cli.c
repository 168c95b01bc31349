/* Helpers shared by the subcommands; see cli.h. */
#include "cli.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/xmalloc.h"

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("twauth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
cli_db_path(const char *flag)
{
	const char *env = getenv("TWAUTH_DB");

	if (flag != NULL && *flag != '\0')
		return flag;
	if (env != NULL && *env != '\0')
		return env;
	return CLI_DEFAULT_DB;
}

int
cli_open(const char *db, const struct idp_config *cfg, int key_secret, struct store **st,
    struct idp **idp)
{
	return cli_open_config(db, NULL, cfg, key_secret, st, idp);
}

/*
 * Whether the database holds signing keys already, sealed with a secret
 * file that must then exist: a new one could not open them.  When it
 * cannot be told, as if it did (nothing is created).
 */
static int
store_has_keys(struct store *st)
{
	struct store_key *keys = NULL;
	size_t n = 0;
	int has = store_key_list(st, &keys, &n) != STORE_OK || n > 0;

	store_key_list_free(keys, n);
	return has;
}

int
cli_open_config(const char *db, const struct store_config *scfg, const struct idp_config *cfg,
    int key_secret, struct store **st, struct idp **idp)
{
	struct idp_config defaults;
	char err[512];

	if (cfg == NULL) {
		idp_config_defaults(&defaults);
		cfg = &defaults;
	}
	if ((*st = store_open_config(db, scfg, err, sizeof(err))) == NULL) {
		cli_error("%s", err);
		return -1;
	}
	/* After the store: opening it makes the directory the file goes in. */
	if (key_secret) {
		if (cfg != &defaults) {
			defaults = *cfg;
			cfg = &defaults;
		}
		if (cli_key_secret(db, !store_has_keys(*st), &defaults) == -1) {
			OPENSSL_cleanse(&defaults, sizeof(defaults));
			store_close(*st);
			*st = NULL;
			return -1;
		}
	}
	*idp = idp_new(*st, cfg);
	OPENSSL_cleanse(&defaults, sizeof(defaults));
	return 0;
}

void
cli_close(struct store *st, struct idp *idp)
{
	idp_free(idp);
	store_close(st);
}

int
cli_idp_error(enum idp_err err)
{
	cli_error("%s", idp_err_info(err)->message);
	return idp_err_info(err)->status >= 500 ? EXIT_FAIL : EXIT_USAGE;
}

int
cli_usage_hint(const char *cmd)
{
	fprintf(stderr, "Run 'twauth %s --help' for usage.\n", cmd);
	return EXIT_USAGE;
}

int
cli_unexpected(const char *cmd, const char *sub, const char *arg)
{
	cli_error("unexpected argument '%s': 'twauth %s%s%s' takes no arguments", arg, cmd,
	    sub ? " " : "", sub ? sub : "");
	return cli_usage_hint(cmd);
}

const struct opt cli_db_options[] = {
	{ "json", OPT_AS_ON(struct cli_db_opts, json), .help = "machine-readable output" },
	CLI_ROW_DB(struct cli_db_opts, db),
	CLI_ROW_HELP(struct cli_db_opts, help),
	{ .name = NULL }
};

/*
 * The index in c->subs of the subcommand argv starts with, and its words
 * in *words; or -1 with the reason printed.
 */
static MUST_CHECK int
find_sub(const struct cli_cmd *c, int argc, char **argv, int *words)
{
	const char *seconds[16], *name;
	size_t first, n_seconds = 0;
	char text[512];

	for (int i = 0; (name = c->subs[i].name) != NULL; i++) {
		first = strcspn(name, " ");
		if (strncmp(name, argv[0], first) != 0 || argv[0][first] != '\0')
			continue;
		*words = name[first] == ' ' ? 2 : 1;
		if (*words == 1 || (argc >= 2 && strcmp(name + first + 1, argv[1]) == 0))
			return i;
		if (n_seconds < sizeof(seconds) / sizeof(seconds[0]))
			seconds[n_seconds++] = name + first + 1;
	}
	if (n_seconds == 0) {
		cli_error("unknown %s subcommand '%s'", c->name, argv[0]);
		return -1;
	}
	/* "redirect" without "add" or "remove" after it */
	snprintf(text, sizeof(text), "%s %s wants ", c->name, argv[0]);
	for (size_t i = 0; i < n_seconds; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s'%s'",
		    i == 0 ? "" : i + 1 < n_seconds ? ", " : " or ", seconds[i]);
	cli_error("%s", text);
	return -1;
}

/*
 * Completion (opt.h) of c's subcommand when it is the word being completed,
 * its first word or its second ("redirect add"): whether it was.
 */
static int
complete_sub(const struct cli_cmd *c, int argc, char **argv)
{
	const char *name, *prev = NULL;
	size_t first;
	int second = 0;

	for (int i = 0; (name = c->subs[i].name) != NULL; prev = name, i++) {
		first = strcspn(name, " ");
		if (argc == 1 && (prev == NULL || strcspn(prev, " ") != first ||
		    strncmp(prev, name, first) != 0))
			opt_offer(name, first);	/* "redirect" once, before "add" or "remove" */
		if (argc == 2 && name[first] == ' ' && strncmp(name, argv[1], first) == 0 &&
		    argv[1][first] == '\0') {
			opt_offer(name + first + 1, strlen(name + first + 1));
			second = 1;
		}
	}
	return argc == 1 || second;
}

/*
 * The subcommand, then the options into opts: -1 to go on, else the exit
 * status, with --help printed or the usage error explained.
 */
static MUST_CHECK int
parse(const struct cli_cmd *c, int argc, char **argv, void *opts, struct optsource *src,
    struct cli_args *out)
{
	struct opt_ctx ctx = { c->name, NULL, NULL, c->how | OPT_TAKE_ARGS };
	struct opt_args args;
	int words = 0;

	out->sub = -1;
	if (c->subs != NULL && opt_completing() != NULL && complete_sub(c, argc, argv))
		return EXIT_OK;
	if (c->subs != NULL) {
		/* Completing, nothing but the candidates goes to stdout. */
		if (argc < 2 || (opt_completing() == NULL && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0))) {
			cli_usage(c, argc < 2 ? stderr : stdout);
			return argc < 2 ? EXIT_USAGE : EXIT_OK;
		}
		if ((out->sub = find_sub(c, argc - 1, argv + 1, &words)) == -1)
			return cli_usage_hint(c->name);
		ctx.sub = c->subs[out->sub].name;
	}
	/* getopt sees the last word of the subcommand as its argv[0]. */
	switch (opt_read(c->rows, &ctx, argc - words, argv + words, opts, src, &args)) {
	case 0:
		out->v = args.v;
		out->n = args.n;
		if (out->sub != -1 && c->subs[out->sub].n_args == 0 && out->n > 0)
			return cli_unexpected(c->name, ctx.sub, out->v[0]);
		return -1;
	case 1:
		cli_usage(c, stdout);
		return EXIT_OK;
	default:
		return cli_usage_hint(c->name);
	}
}

int
cli_run(const struct cli_cmd *c, int argc, char **argv)
{
	void *opts = xcalloc(1, c->size);
	struct optsource src = { 0 };
	struct cli_args a = { 0 };
	int rc;

	if (c->defaults != NULL)
		memcpy(opts, c->defaults, c->size);
	if ((rc = parse(c, argc, argv, opts, &src, &a)) == -1)
		rc = c->run(c, opts, &a);
	opt_free(c->rows, opts, &src);
	free(opts);
	return rc;
}

void
cli_usage(const struct cli_cmd *c, FILE *f)
{
	fputs(c->head, f);
	opt_usage(f, c->rows, 0, c->defaults);
	fputs(c->tail, f);
}

void
cli_print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text == NULL)
		fatal("out of memory encoding JSON");
	puts(text);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	json_decref(j);
}

void
cli_format_time(int64_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%SZ", &tm);
}
