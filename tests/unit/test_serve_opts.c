/*
 * Unit tests of serve_opts, twauth serve's table of options: every row is
 * in --help, in twauth(1) and in contrib/twauth.conf, so none can be added
 * or renamed without them; the defaults --help shows are values the
 * options take; the config file's examples are valid and show the
 * defaults; and the struct the server runs with gets what was asked.
 * The files are read from the repository's root, where tests/run.sh runs.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/cli/serve_opts.h"
#include "../../src/common/log.h"
#include "t.h"

#define NO_ENV	"TWAUTH_UNIT_NOTHING_"	/* a prefix no variable has */

/* Whether word is in text with no letter, digit or '-' right before or after it. */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; (p = strstr(p, word)) != NULL; p++) {
		char before = p == text ? ' ' : p[-1], after = p[n];

		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", before) == NULL &&
		    (after == '\0' || strchr("abcdefghijklmnopqrstuvwxyz0123456789-", after) == NULL))
			return 1;
	}
	return 0;
}

/* Whether a line of conf is "name = ..." or "# name = ..." (or just the name). */
static int
conf_has(const char *conf, const char *name)
{
	size_t n = strlen(name);

	for (const char *line = conf; *line != '\0'; line += strcspn(line, "\n") + 1) {
		const char *p = line;

		if (strncmp(p, "# ", 2) == 0)
			p += 2;
		if (strncmp(p, name, n) == 0 && (strncmp(p + n, " = ", 3) == 0 || p[n] == '\n'))
			return 1;
		if (line[strcspn(line, "\n")] == '\0')
			break;
	}
	return 0;
}

static void
serve_every_option_is_in_help_man_page_and_config_file(void)
{
	char *help = NULL, *man = t_read_file("docs/twauth.1", NULL);
	char *conf = t_read_file("contrib/twauth.conf", NULL), word[128];
	size_t len = 0;
	FILE *f = open_memstream(&help, &len);

	serve_opts_usage(f);
	fclose(f);
	CHECK(man != NULL && conf != NULL);
	if (man == NULL || conf == NULL) {
		printf("    run from the repository's root (docs/, contrib/)\n");
		goto out;
	}
	for (const struct opt *o = serve_options; o->name != NULL; o++) {
		snprintf(word, sizeof(word), "--%s", o->name);
		CHECK(has_word(help, word));
		/* mdoc writes --name as "Fl -name", or ", -name" in a list. */
		if (!has_word(man, word + 1)) {
			printf("    docs/twauth.1 does not name %s\n", word);
			CHECK(!"every option is in the man page");
		}
		if (!(o->flags & (OPT_ARGV | OPT_FILE)) && !conf_has(conf, o->name)) {
			printf("    contrib/twauth.conf has no line for %s\n", o->name);
			CHECK(!"every setting is in the config file");
		}
	}
out:
	free(help);
	free(man);
	free(conf);
}

static void
serve_defaults_are_values_the_options_take(void)
{
	struct serve_opts d, scratch;
	const void *f;
	int64_t v;

	serve_opts_defaults(&d);
	for (const struct opt *o = serve_options; o->name != NULL; o++) {
		f = (const char *)&d + o->off;
		switch (o->type) {
		case OPT_STR:
			/* What --help calls the default passes the option's own check. */
			serve_opts_defaults(&scratch);
			if (*(const char *const *)f != NULL)
				CHECK(opt_set(o, *(const char *const *)f, &scratch) == 0);
			break;
		case OPT_UINT:
		case OPT_I64:
			v = o->type == OPT_UINT ? *(const unsigned *)f : *(const int64_t *)f;
			CHECK(o->min <= o->max);
			CHECK(o->type != OPT_UINT || (o->min >= 0 && o->max <= UINT_MAX));
			/* No value is allowed only where the row says what it means. */
			CHECK(v != 0 || o->unset != NULL);
			if (v != 0 && (v < o->min || v > o->max)) {
				printf("    --%s: default %lld outside %lld to %lld\n", o->name,
				    (long long)v, (long long)o->min, (long long)o->max);
				CHECK(!"defaults within their range");
			}
			break;
		case OPT_CHOICE:
			CHECK(*(const int *)f >= 0 && o->choices[*(const int *)f] != NULL);
			break;
		case OPT_LIST:
			CHECK(o->max > 0 && o->items != NULL && o->canon != NULL);
			break;
		case OPT_ARGS:
			/* From the environment or the file too: bounded. */
			CHECK(o->max > 0 && o->items != NULL);
			break;
		case OPT_ON:
		case OPT_OFF:
		case OPT_VAL:
		case OPT__MAX:
			break;
		}
		CHECK(o->help != NULL && o->help[0] != '\0');
	}
	CHECK(d.log_format == LOG_TEXT && d.scfg.access_log == 1 && d.purge_interval > 0);
}

static void
serve_config_file_examples_are_valid_and_show_the_defaults(void)
{
	char *conf = t_read_file("contrib/twauth.conf", NULL), path[400], *argv[4];
	struct serve_opts o, d;
	FILE *out;
	char *err;
	int rc;

	CHECK(conf != NULL);
	if (conf == NULL)
		return;
	/* Every setting it shows, commented out or not, at once. */
	snprintf(path, sizeof(path), "%s/all.conf", t_tmpdir());
	if ((out = fopen(path, "w")) == NULL) {
		free(conf);
		return;
	}
	for (char *line = conf, *next; *line != '\0'; line = next) {
		size_t n = strcspn(line, "\n");
		int setting = 0;

		next = line + n + (line[n] == '\n');
		line[n] = '\0';
		n = n < 2 ? 0 : strcspn(line + 2, " =");

		for (const struct opt *r = serve_options; !setting && r->name != NULL; r++)
			setting = strlen(r->name) == n && strncmp(line + 2, r->name, n) == 0;
		if (strncmp(line, "# ", 2) == 0 && setting)
			fprintf(out, "%s\n", line + 2);
		else
			fprintf(out, "%s\n", line);
	}
	fclose(out);
	free(conf);
	argv[0] = "serve";
	argv[1] = "--config";
	argv[2] = path;
	argv[3] = NULL;
	serve_opts_defaults(&o);
	t_stderr_begin();
	rc = opt_parse(serve_options, 3, argv, NO_ENV, &o, &o.src);
	err = t_stderr_end();
	CHECK(rc == 0);
	if (rc != 0)
		printf("    %s", err);
	free(err);
	/* The numbers it shows are the defaults, where there is one. */
	serve_opts_defaults(&d);
	for (const struct opt *r = serve_options; rc == 0 && r->name != NULL; r++) {
		int64_t got, want;

		if (r->type != OPT_UINT && r->type != OPT_I64)
			continue;
		got = r->type == OPT_UINT ? *(unsigned *)((char *)&o + r->off) :
		    *(int64_t *)((char *)&o + r->off);
		want = r->type == OPT_UINT ? *(unsigned *)((char *)&d + r->off) :
		    *(int64_t *)((char *)&d + r->off);
		if (want != 0 && got != want) {
			printf("    contrib/twauth.conf: %s = %lld, the default is %lld\n", r->name,
			    (long long)got, (long long)want);
			CHECK(!"the config file shows the defaults");
		}
	}
	serve_opts_free(&o);
}

static void
serve_opts_parse_fills_what_the_server_runs_with(void)
{
	char *argv[] = { "serve", "--no-access-log", "--log-format", "json", "--trusted-proxy",
	    "0:0::1", "--trusted-proxy", "192.0.2.1", "--threads", "3", "--mock-api-compat",
	    "--listen", "[::1]:0", "--db", "postgres://twauth:hunter2@db.internal/twauth",
	    "--purge-interval", "60", "--max-client-failures", "7", NULL };
	char *half[] = { "serve", "--tls-key", "key.pem", NULL };
	char *text = NULL, *err;
	struct serve_opts o;
	size_t len = 0;
	FILE *f;

	CHECK(serve_opts_parse(19, argv, &o) == 0);
	CHECK(o.scfg.access_log == 0 && o.log_format == LOG_JSON && o.scfg.threads == 3);
	CHECK(o.scfg.mock_api_compat == 1 && o.purge_interval == 60);
	CHECK(o.icfg.client_failures == 7);
	CHECK_STR(o.scfg.listen, "[::1]:0");
	CHECK(o.proxies.n == 2 && strcmp(o.proxies.v[0], "::1") == 0 &&
	    strcmp(o.proxies.v[1], "192.0.2.1") == 0);	/* canonical */
	/* --check-config's report never shows a PostgreSQL URI: it may hold a password. */
	f = open_memstream(&text, &len);
	serve_opts_report(f, &o);
	fclose(f);
	CHECK(strstr(text, "hunter2") == NULL && strstr(text, "a PostgreSQL URI") != NULL);
	CHECK(strstr(text, "  trusted-proxy        ::1\n  trusted-proxy        192.0.2.1\n") !=
	    NULL);
	CHECK(strncmp(text, "The configuration is valid.\n", 28) == 0);
	free(text);
	serve_opts_free(&o);

	t_stderr_begin();
	CHECK(serve_opts_parse(3, half, &o) == -1);
	err = t_stderr_end();
	CHECK(strstr(err, "HTTPS needs both --tls-cert and --tls-key") != NULL);
	free(err);
	serve_opts_free(&o);
}

void
suite_serve_opts(void)
{
	RUN(serve_every_option_is_in_help_man_page_and_config_file);
	RUN(serve_defaults_are_values_the_options_take);
	RUN(serve_config_file_examples_are_valid_and_show_the_defaults);
	RUN(serve_opts_parse_fills_what_the_server_runs_with);
}
