/* Helpers shared by the subcommands; see cli.h. */
#include "cli.h"

#include <getopt.h>
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
cli_sub_parse(int argc, char **argv, const char *cmd, const char *const *subs,
    void (*usage)(FILE *), struct cli_sub *out)
{
	enum { O_DB = 256, O_JSON };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c;

	memset(out, 0, sizeof(*out));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (i = 0; subs[i] != NULL && strcmp(subs[i], argv[1]) != 0; i++)
		;
	if (subs[i] == NULL) {
		cli_error("unknown %s subcommand '%s'", cmd, argv[1]);
		return cli_usage_hint(cmd);
	}
	out->sub = subs[i];
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (c == O_DB)
			out->db = optarg;
		else if (c == O_JSON)
			out->json = 1;
		else if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		} else
			return cli_usage_hint(cmd);
	}
	out->args = argv + 1 + optind;
	out->n_args = argc - 1 - optind;
	return -1;
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
