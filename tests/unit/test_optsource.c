/*
 * Unit tests of optsource: options from a config file and from $TWUT_*
 * variables (fixtures.c's t_toy_rows), under the command line; the file's
 * syntax, its limits, and the errors that name the file and line or the
 * variable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../src/cli/opt.h"
#include "../../src/cli/optsource.h"
#include "t.h"

static const char *const toy_vars[] = {
	"TWUT_NAME", "TWUT_COUNT", "TWUT_BIG", "TWUT_LOUD", "TWUT_QUIET", "TWUT_MODE",
	"TWUT_TAG", "TWUT_ALIAS", "TWUT_CONFIG", "TWUT_HELP", "TWUT_EXTREMELY_LONG_SETTING",
	NULL
};

static void
clear_env(void)
{
	for (size_t i = 0; toy_vars[i] != NULL; i++)
		unsetenv(toy_vars[i]);
}

/* A file holding text, in a fresh directory; its path (valid until the next call). */
static const char *
config(const char *text)
{
	static char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/toy.conf", t_tmpdir());
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

/* opt_parse of argv (NULL-ended, after "toy") into *t; what it printed in *err. */
static int
parse(struct t_toy *t, char **err, const char *const *args)
{
	char *argv[16] = { "toy" };
	int argc = 1, rc;

	while (argc < 15 && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	t_toy_defaults(t);
	t_stderr_begin();
	rc = opt_parse(t_toy_rows, argc, argv, T_TOY_ENV, t, &t->src);
	*err = t_stderr_end();
	return rc;
}

static void
optsource_command_line_over_environment_over_file(void)
{
	const char *f = config("# toy\n"
	    "count = 1\n"
	    "name \"from the file\"\n"
	    "tag = File\n"
	    "mode = fast\n");
	struct t_toy t;
	char *err, origin_line[500];

	clear_env();
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == 0);
	CHECK(t.count == 1 && t.mode == 0 && t.tags.n == 1);
	CHECK_STR(t.name, "from the file");
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	setenv("TWUT_COUNT", "2", 1);
	setenv("TWUT_TAG", "env1, env2", 1);	/* a list: commas or spaces */
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == 0);
	CHECK(t.count == 2);
	CHECK_STR(t.name, "from the file");
	/* A list gathers the file's values, then the environment's. */
	CHECK(t.tags.n == 3 && strcmp(t.tags.v[0], "file") == 0 &&
	    strcmp(t.tags.v[2], "env2") == 0);
	/* Each made argument knows where it came from; the command line's do not. */
	snprintf(origin_line, sizeof(origin_line), "%s line 2", f);
	CHECK(t.src.argc == 10);	/* "toy", 4 from the file, 3 from $TWUT_*, 2 */
	CHECK_STR(optsource_origin(&t.src, t.src.argv[1]), origin_line);
	CHECK_STR(t.src.argv[1], "--count=1");
	CHECK_STR(optsource_origin(&t.src, t.src.argv[5]), "$TWUT_COUNT");
	CHECK_STR(optsource_origin(&t.src, t.src.argv[7]), "$TWUT_TAG");
	CHECK(optsource_origin(&t.src, t.src.argv[8]) == NULL);	/* "--config" */
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	CHECK(parse(&t, &err, (const char *[]){ "--count", "3", "--config", f, NULL }) == 0);
	CHECK(t.count == 3);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	/* $TWUT_CONFIG names the file when the command line does not. */
	unsetenv("TWUT_COUNT");
	unsetenv("TWUT_TAG");
	setenv("TWUT_CONFIG", f, 1);
	CHECK(parse(&t, &err, (const char *[]){ NULL }) == 0);
	CHECK(t.count == 1);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	/* --config=FILE on the command line wins over it. */
	CHECK(parse(&t, &err, (const char *[]){ "--config=/nonexistent/toy.conf", NULL }) == -1);
	CHECK(strstr(err, "cannot read the config file /nonexistent/toy.conf") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	clear_env();
}

static void
optsource_file_syntax(void)
{
	const char *f = config("\n"
	    "   # indented comment\n"
	    "loud\n"
	    "quiet = false\n"
	    "count=7\n"
	    "  name   =   'spaced out'  \n"
	    "big 42\n"
	    "tag = a\n"
	    "tag = b\n");
	struct t_toy t;
	char *err;

	clear_env();
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == 0);
	CHECK(t.loud == 1 && t.chatty == 1);	/* "false" sets nothing */
	CHECK(t.count == 7 && t.big == 42);
	CHECK_STR(t.name, "spaced out");
	CHECK(t.tags.n == 2);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	/* Flags take the usual words for true and false. */
	f = config("loud = off\nquiet = YES\n");
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
	CHECK(strstr(err, "line 2: quiet is a flag: true or false, not 'YES'") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	f = config("loud = 0\nquiet = on\n");
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == 0);
	CHECK(t.loud == 0 && t.chatty == 0);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
}

static void
optsource_bad_files_name_the_line(void)
{
	static const struct {
		const char	*text;
		const char	*says;
	} cases[] = {
		{ "count = 1\nbogus = 1\n", "line 2: unknown setting 'bogus' (settings are the "
		    "long options of --help, without the dashes)" },
		{ "config = other.conf\n", "line 1: unknown setting 'config'" },
		{ "help\n", "line 1: unknown setting 'help'" },
		{ "loud = maybe\n", "line 1: loud is a flag: true or false, not 'maybe'" },
		{ "name =\n", "line 1: name needs a value" },
		{ "count = 99\n", "--count wants a whole number from 1 to 10, not '99'" },
	};
	struct t_toy t;
	char *err, *big, line[600];
	const char *f;
	FILE *fp;

	clear_env();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = config(cases[i].text);
		CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
		CHECK(strstr(err, cases[i].says) != NULL);
		opt_free(t_toy_rows, &t, &t.src);
		free(err);
	}
	/* A value the row refuses: its message, then where it was set. */
	f = config("count = 5\ncount = 99\n");
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
	snprintf(line, sizeof(line), "(that setting is from %s line 2)", f);
	CHECK(strstr(err, line) != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	/* A line over the limit. */
	big = malloc(OPTSOURCE_MAX_LINE + 16);
	memcpy(big, "name = ", 7);
	memset(big + 7, 'a', OPTSOURCE_MAX_LINE);
	memcpy(big + 7 + OPTSOURCE_MAX_LINE, "\n", 2);
	f = config(big);
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
	CHECK(strstr(err, "line 1: longer than 4096 bytes") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	/* Just under it is fine. */
	big[OPTSOURCE_MAX_LINE - 1] = '\n';
	big[OPTSOURCE_MAX_LINE] = '\0';
	f = config(big);
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == 0);
	CHECK(t.name != NULL && strlen(t.name) == OPTSOURCE_MAX_LINE - 8);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	free(big);

	/* A NUL byte: not text. */
	f = config("");
	if ((fp = fopen(f, "w")) != NULL) {
		fwrite("count = 1\nna\0me = x\n", 1, 20, fp);
		fclose(fp);
	}
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
	CHECK(strstr(err, "line 2: not text") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);

	/* A file over the limit, a directory, and no file at all. */
	f = config("");
	if ((fp = fopen(f, "w")) != NULL) {
		for (int i = 0; i <= OPTSOURCE_MAX_FILE / 16; i++)
			fputs("# padding......\n", fp);
		fclose(fp);
	}
	CHECK(parse(&t, &err, (const char *[]){ "--config", f, NULL }) == -1);
	CHECK(strstr(err, "is not a regular file of at most 1048576 bytes") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	CHECK(parse(&t, &err, (const char *[]){ "--config", t_tmpdir(), NULL }) == -1);
	CHECK(strstr(err, "is not a regular file of at most 1048576 bytes") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	CHECK(parse(&t, &err, (const char *[]){ "--config", "/nonexistent/toy.conf", NULL }) ==
	    -1);
	CHECK(strstr(err, "cannot read the config file /nonexistent/toy.conf: No such file") !=
	    NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
}

static void
optsource_environment(void)
{
	struct t_toy t;
	char *err;

	clear_env();
	/* Command-line-only rows are never read from the environment; empty is unset. */
	setenv("TWUT_HELP", "1", 1);
	setenv("TWUT_NAME", "", 1);
	setenv("TWUT_QUIET", "true", 1);
	setenv("TWUT_LOUD", "no", 1);
	setenv("TWUT_EXTREMELY_LONG_SETTING", "yes", 1);	/* '_' for '-' */
	CHECK(parse(&t, &err, (const char *[]){ NULL }) == 0);
	CHECK(t.help == 0 && t.name == NULL && t.chatty == 0 && t.loud == 0);
	CHECK_STR(t.note, "yes");
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	clear_env();

	setenv("TWUT_LOUD", "maybe", 1);
	CHECK(parse(&t, &err, (const char *[]){ NULL }) == -1);
	CHECK(strstr(err, "$TWUT_LOUD: loud is a flag: true or false, not 'maybe'") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	clear_env();

	/* A refused value names its variable. */
	setenv("TWUT_TAG", "ok, x y", 1);
	setenv("TWUT_MODE", "turbo", 1);
	CHECK(parse(&t, &err, (const char *[]){ NULL }) == -1);
	CHECK(strstr(err, "--mode is 'fast', 'safe' or 'slow', not 'turbo'") != NULL);
	CHECK(strstr(err, "(that setting is from $TWUT_MODE)") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	clear_env();
}

void
suite_optsource(void)
{
	RUN(optsource_command_line_over_environment_over_file);
	RUN(optsource_file_syntax);
	RUN(optsource_bad_files_name_the_line);
	RUN(optsource_environment);
}
