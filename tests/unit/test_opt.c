/*
 * Unit tests of opt: options as table rows (fixtures.c's t_toy_rows), read
 * from the command line into their fields with each type's checks and
 * messages, --help made from the rows, the report of what was read; and
 * what the commands other than serve need of opt_read (the rows of
 * struct cmd below): arguments after the options, subcommands' rows,
 * alternatives, the arguments themselves as a list, --help ending it.
 * Unknown and shortened options are refused with the nearest names; in
 * completion, opt_read offers the rows and their values instead.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/cli/opt.h"
#include "t.h"

/* opt_parse of the NULL-ended arguments after "toy" into *t; what it printed in *err. */
static int
toy_parse(struct t_toy *t, char **err, ...)
{
	char *argv[32] = { "toy" };
	int argc = 1, rc;
	va_list ap;

	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	t_toy_defaults(t);
	t_stderr_begin();
	rc = opt_parse(t_toy_rows, argc, argv, T_TOY_ENV, t, &t->src);
	*err = t_stderr_end();
	return rc;
}

/* What f wrote, once closed. */
static char *
mem_text(FILE *f, char **buf)
{
	fclose(f);
	return *buf;
}

static void
opt_parse_sets_each_type(void)
{
	struct t_toy t;
	char *err;

	CHECK(toy_parse(&t, &err, "--name", "ann", "--count", "3", "--big=-5", "--loud",
	    "--quiet", "--mode", "slow", "--tag", "Red", "--tag", "blue", "-h", "--alias",
	    "As Given", NULL) == 0);
	CHECK_STR(err, "");
	CHECK_STR(t.name, "ann");
	CHECK(t.count == 3 && t.big == -5 && t.loud == 1 && t.chatty == 0 && t.help == 1);
	CHECK(t.mode == 2);
	CHECK(t.tags.n == 2 && strcmp(t.tags.v[0], "red") == 0 &&
	    strcmp(t.tags.v[1], "blue") == 0);	/* canonical, in order */
	CHECK(t.aliases.n == 1 && strcmp(t.aliases.v[0], "As Given") == 0);
	opt_free(t_toy_rows, &t, &t.src);
	CHECK(t.tags.v == NULL && t.tags.n == 0 && t.aliases.v == NULL);
	free(err);

	/* The last of two settings wins; untouched fields keep their defaults. */
	CHECK(toy_parse(&t, &err, "--count", "2", "--count=10", "--big",
	    "9223372036854775807", NULL) == 0);
	CHECK(t.count == 10 && t.big == INT64_MAX);
	CHECK(t.name == NULL && t.mode == 1 && t.chatty == 1 && t.loud == 0 && t.tags.n == 0);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
}

#define LONG_ALIAS \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"	/* 256 */

static void
opt_parse_refuses_with_the_reason(void)
{
	static const struct {
		const char	*args[4];
		const char	*says;
	} cases[] = {
		{ { "--count", "0" }, "--count wants a whole number from 1 to 10, not '0'" },
		{ { "--count", "11" }, "--count wants a whole number from 1 to 10, not '11'" },
		{ { "--count", "3x" }, "--count wants a whole number from 1 to 10, not '3x'" },
		{ { "--big", "-6" }, "--big wants a whole number from -5 to 9223372036854775807" },
		{ { "--mode", "turbo" }, "--mode is 'fast', 'safe' or 'slow', not 'turbo'" },
		{ { "--name", "xena" }, "--name wants a name without an x first, not 'xena'" },
		{ { "--tag", "two words" }, "--tag wants one word, not 'two words'" },
		{ { "--tag=a", "--tag=b", "--tag=c", "--tag=d" }, "at most 3 --tag tags" },
		{ { "--alias", LONG_ALIAS }, "--alias wants at most 255 bytes" },
		{ { "--alias=a", "--alias=b", "--alias=c" }, "at most 2 --alias aliases" },
		{ { "--loud=yes" }, "twauth: --loud takes no value\n" },
		{ { "--nope" }, "twauth: unknown option '--nope'\n" },
		{ { "-x" }, "twauth: unknown option '-x'\n" },
		{ { "--count" }, "twauth: --count needs a value: N\n" },
		{ { "extra" }, "twauth: unexpected argument 'extra': 'twauth toy' takes only options" },
		{ { "--loud", "--", "--quiet" }, "unexpected argument '--quiet': 'twauth toy'" },
		/* Whole names only; the nearest ones named. */
		{ { "--coun", "3" }, "twauth: unknown option '--coun'; did you mean --count?\n" },
		{ { "--conut=3" }, "twauth: unknown option '--conut'; did you mean --count?\n" },
		{ { "--lod" }, "twauth: unknown option '--lod'; did you mean --loud?\n" },
		{ { "--loudly" }, "twauth: unknown option '--loudly'; did you mean --loud?\n" },
		{ { "--co=1" }, "unknown option '--co'; did you mean --count or --config?\n" },
		{ { "--lou=yes" }, "twauth: unknown option '--lou'; did you mean --loud?\n" },
		{ { "--xyzzy" }, "twauth: unknown option '--xyzzy'\n" },
	};
	struct t_toy t;
	char *err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		CHECK(toy_parse(&t, &err, a[0], a[1], a[2], a[3], NULL) == -1);
		CHECK(err != NULL && strstr(err, cases[i].says) != NULL);
		if (err == NULL || strstr(err, cases[i].says) == NULL)
			printf("    wanted \"%s\", got \"%s\"\n", cases[i].says, err ? err : "");
		/* Nothing from the command line is said to come from elsewhere. */
		CHECK(err == NULL || strstr(err, "that setting is from") == NULL);
		opt_free(t_toy_rows, &t, &t.src);
		free(err);
	}
}

static void
opt_usage_shows_ranges_and_defaults_wrapped(void)
{
	struct t_toy d;
	char *buf = NULL, *text, *line, *next;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	/* The column: two spaces after the longest label that is not too long. */
	const int want = (int)strlen("  --mode fast|safe|slow") + 2;
	int col = -1;

	t_toy_defaults(&d);
	opt_usage(f, t_toy_rows, 0, &d);
	text = mem_text(f, &buf);
	CHECK(strstr(text, "  --count N") != NULL);
	CHECK(strstr(text, "how many (1 to 10; default 4)") != NULL);
	CHECK(strstr(text, "how much (-5 to 9223372036854775807; default 0)") != NULL);
	CHECK(strstr(text, "who it is (default: anonymous)") != NULL);
	CHECK(strstr(text, "  --mode fast|safe|slow") != NULL);
	CHECK(strstr(text, "how to go (default safe)") != NULL);
	CHECK(strstr(text, "  --tag WORD") != NULL);
	CHECK(strstr(text, "a label (repeat for more, up to 3; default: untagged)") != NULL);
	CHECK(strstr(text, "another name (repeat for more, up to 2)\n") != NULL);
	/* Flags have no value and no default to show. */
	CHECK(strstr(text, "  --loud ") != NULL && strstr(text, "speak up\n") != NULL);
	/* Only group 0: --config and --help are another group's. */
	CHECK(strstr(text, "--config") == NULL && strstr(text, "--help") == NULL);
	/* A long label stands alone; the help is on the lines below, in the column. */
	CHECK(strstr(text, "  --extremely-long-setting VALUE\n ") != NULL);
	for (line = text; *line != '\0'; line = next) {
		size_t n = strcspn(line, "\n");
		size_t indent = strspn(line, " ");

		next = line + n + (line[n] == '\n');
		CHECK(n <= 79);
		if (indent > 2) {
			/* A help line: every one starts in the same column. */
			if (col == -1)
				col = (int)indent;
			CHECK((int)indent == col);
		} else {
			/* A label line's help starts in that column too. */
			const char *gap = strstr(line + 2, "  ");

			CHECK(line[0] == ' ' && line[1] == ' ' && line[2] == '-');
			if (gap != NULL && gap < line + n)
				CHECK(gap + strspn(gap, " ") - line == want);
		}
	}
	CHECK(col == want);
	if (col != want)
		printf("%s", text);
	free(text);

	buf = NULL;
	f = open_memstream(&buf, &len);
	opt_usage(f, t_toy_rows, 1, &d);
	text = mem_text(f, &buf);
	CHECK_STR(text, "  --config FILE  read FILE first\n"
	    "  -h, --help     this help\n");
	free(text);
}

static void
opt_report_shows_every_setting_but_command_line_ones(void)
{
	struct t_toy t;
	char *buf = NULL, *text, *err;
	size_t len = 0;
	FILE *f;

	CHECK(toy_parse(&t, &err, "--quiet", "--tag", "a", "--tag", "B", "--big", "7",
	    "-h", NULL) == 0);
	f = open_memstream(&buf, &len);
	opt_report(f, t_toy_rows, &t);
	text = mem_text(f, &buf);
	CHECK_STR(text,
	    "  name                 (anonymous)\n"
	    "  extremely-long-setting (none)\n"
	    "  count                4\n"
	    "  big                  7\n"
	    "  loud                 off\n"
	    "  quiet                on\n"
	    "  mode                 safe\n"
	    "  tag                  a\n"
	    "  tag                  b\n"
	    "  alias                (none)\n");
	free(text);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
}


/* A command with subcommands, as twauth app and twauth token read theirs. */
struct cmd {
	int		 way;		/* --one or --two: alternatives, 0 when neither */
	int		 out;		/* --plain or --fancy, the last wins */
	struct opt_list	 queries;	/* -q, at most 2 */
	struct opt_list	 uris;		/* --uri, any number */
	const char	*name;		/* --name (create), or --named */
	int		 secret;	/* --secret (create, passwd) */
	unsigned	 wait;		/* --wait 1 to 60 seconds, 30 by default */
	int		 help;
};

#define CMD(how, ...)	OPT_AS_##how(struct cmd, __VA_ARGS__)

static const struct opt cmd_rows[] = {
	{ "one", CMD(VAL, way, 1), .items = "way", .help = "the first way" },
	{ "two", CMD(VAL, way, 2), .items = "way", .help = "the second way" },
	{ "plain", CMD(VAL, out, 1), .help = "plain output" },
	{ "fancy", CMD(VAL, out, 2), .help = "fancy output" },
	{ "query", CMD(ARGS, queries), .short_name = 'q', .arg = "N=V", .max = 2,
	    .items = "queries", .help = "a query" },
	{ "uri", CMD(ARGS, uris), .arg = "URI", .help = "an address" },
	{ "name", CMD(STR, name), .arg = "NAME", .only = OPT_ONLY("create"),
	    .help = "what it is called (also --named)" },
	{ "named", CMD(STR, name), .flags = OPT_HIDDEN, .help = "hidden" },
	{ "secret", CMD(ON, secret), .only = OPT_ONLY("create", "passwd"),
	    .help = "read a secret" },
	{ "wait", CMD(UINT, wait), .arg = "SECS", .min = 1, .max = 60, .unit = "seconds",
	    .help = "how long" },
	{ "help", CMD(ON, help), .short_name = 'h', .flags = OPT_HELP, .help = "this help" },
	{ .name = NULL }
};

/*
 * opt_read of "cmd" (sub: its subcommand, how: opt_ctx.how) and the
 * NULL-ended arguments after it; argv in *argv (they must outlive *c), what
 * it printed in *err.
 */
static int
cmd_read(struct cmd *c, const char *sub, unsigned how, struct optsource *src,
    struct opt_args *args, char **err, char **argv, ...)
{
	struct opt_ctx ctx = { "cmd", sub, NULL, how };
	int argc = 1, rc;
	va_list ap;

	argv[0] = "cmd";
	va_start(ap, argv);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(c, 0, sizeof(*c));
	c->wait = 30;
	t_stderr_begin();
	rc = opt_read(cmd_rows, &ctx, argc, argv, c, src, args);
	*err = t_stderr_end();
	return rc;
}

static void
opt_read_gives_the_arguments_after_the_options(void)
{
	struct optsource src;
	struct opt_args args;
	struct cmd c;
	char *argv[32], *err;

	/* Options and arguments in any order; lists of the arguments themselves. */
	CHECK(cmd_read(&c, "create", OPT_TAKE_ARGS, &src, &args, &err, argv, "-q", "a=1", "x",
	    "--name", "n", "y", "--query=b", "--uri", "u1", "--uri", "u2", "--uri", "u3",
	    "--wait", "60", NULL) == 0);
	CHECK_STR(err, "");
	CHECK(args.n == 2 && strcmp(args.v[0], "x") == 0 && strcmp(args.v[1], "y") == 0);
	CHECK_STR(c.name, "n");
	CHECK(c.queries.n == 2 && c.queries.v[0] == argv[2]);	/* not a copy */
	CHECK_STR(c.queries.v[1], "b");
	CHECK(c.uris.n == 3 && c.uris.v[2] == argv[13]);
	CHECK(c.wait == 60);
	opt_free(cmd_rows, &c, &src);
	CHECK(c.queries.v == NULL && c.queries.n == 0 && c.uris.v == NULL);
	free(err);

	/*
	 * A hidden row is another name of the row before it.  Abbreviations are
	 * refused: the near names are the row's, said once.
	 */
	CHECK(cmd_read(&c, "create", 0, &src, &args, &err, argv, "--nam", "a", NULL) == -1);
	CHECK_STR(err, "twauth: unknown option '--nam'; did you mean --name?\n");
	CHECK(c.name == NULL);
	opt_free(cmd_rows, &c, &src);
	free(err);
	CHECK(cmd_read(&c, "create", 0, &src, &args, &err, argv, "--named=b", NULL) == 0);
	CHECK_STR(c.name, "b");
	opt_free(cmd_rows, &c, &src);
	free(err);

	/* OPT_FIRST_ARG: what follows the first argument is its own. */
	CHECK(cmd_read(&c, NULL, OPT_TAKE_ARGS | OPT_FIRST_ARG, &src, &args, &err, argv,
	    "--plain", "run", "--fancy", "-q", NULL) == 0);
	CHECK(c.out == 1 && args.n == 3 && strcmp(args.v[0], "run") == 0 &&
	    strcmp(args.v[1], "--fancy") == 0 && args.v[3] == NULL);
	opt_free(cmd_rows, &c, &src);
	free(err);

	/* "--" ends the options there too, and is not an argument. */
	CHECK(cmd_read(&c, NULL, OPT_TAKE_ARGS | OPT_FIRST_ARG, &src, &args, &err, argv,
	    "--", "--plain", NULL) == 0);
	CHECK(c.out == 0 && args.n == 1 && strcmp(args.v[0], "--plain") == 0);
	opt_free(cmd_rows, &c, &src);
	free(err);

	/* Without OPT_TAKE_ARGS, an argument is refused naming the subcommand. */
	CHECK(cmd_read(&c, "list", 0, &src, &args, &err, argv, "--plain", "x", NULL) == -1);
	CHECK(strstr(err, "unexpected argument 'x': 'twauth cmd list' takes only options") != NULL);
	opt_free(cmd_rows, &c, &src);
	free(err);
}

static void
opt_read_refuses_with_the_reason(void)
{
	static const struct {
		const char	*sub;
		const char	*args[4];
		const char	*says;
	} cases[] = {
		{ "list", { "--name", "n" }, "--name is only for 'twauth cmd create'" },
		{ "list", { "--name=n" }, "--name is only for 'twauth cmd create'" },
		/* Near names only of the rows for the subcommand; none for a value. */
		{ "list", { "--na", "n" }, "twauth: unknown option '--na'\n" },
		{ "create", { "--na=secret" }, "twauth: unknown option '--na'; did you mean --name?\n" },
		{ "list", { "--secre" }, "twauth: unknown option '--secre'\n" },
		{ "passwd", { "--secre" }, "unknown option '--secre'; did you mean --secret?\n" },
		{ "list", { "--nam=x", "--wait" }, "twauth: unknown option '--nam'\n" },
		{ "list", { "--wait" }, "twauth: --wait needs a value: SECS\n" },
		{ "list", { "-q" }, "twauth: -q needs a value: N=V\n" },
		{ "list", { "--query" }, "twauth: --query needs a value: N=V\n" },
		{ "list", { "--help=1" }, "twauth: --help takes no value\n" },
		{ "list", { "--named", "n" }, "--name is only for 'twauth cmd create'" },
		{ NULL, { "--name", "n" }, "--name is only for 'twauth cmd create'" },
		{ "passwd", { "--name", "n" }, "--name is only for 'twauth cmd create'" },
		{ "list", { "--secret" }, "--secret is for 'cmd create' and 'cmd passwd'" },
		{ "list", { "--one", "--two" }, "choose one way: --one or --two" },
		{ "list", { "--two", "--two" }, "choose one way: --one or --two" },
		{ "list", { "-q", "a", "-q", "b", }, NULL },
		{ "list", { "-qa", "-qb", "--query=c" }, "at most 2 -q queries" },
		{ "list", { "--wait", "0" }, "--wait takes 1 to 60 seconds" },
		{ "list", { "--wait", "soon" }, "--wait takes 1 to 60 seconds" },
		{ "list", { "--bogus", "--help" }, "unknown option '--bogus'" },
	};
	struct optsource src;
	struct opt_args args;
	struct cmd c;
	char *argv[32], *err;
	int rc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		rc = cmd_read(&c, cases[i].sub, OPT_TAKE_ARGS, &src, &args, &err, argv,
		    a[0], a[1], a[2], a[3], NULL);
		if (cases[i].says == NULL) {
			CHECK(rc == 0 && c.queries.n == 2);
		} else {
			CHECK(rc == -1);
			CHECK(err != NULL && strstr(err, cases[i].says) != NULL);
			if (err == NULL || strstr(err, cases[i].says) == NULL)
				printf("    wanted \"%s\", got \"%s\"\n", cases[i].says,
				    err ? err : "");
		}
		opt_free(cmd_rows, &c, &src);
		free(err);
	}

	/* The subcommands a row names take it. */
	CHECK(cmd_read(&c, "passwd", 0, &src, &args, &err, argv, "--secret", NULL) == 0);
	CHECK(c.secret == 1);
	opt_free(cmd_rows, &c, &src);
	free(err);

	/* One alternative is taken; of the others, the last one given wins. */
	CHECK(cmd_read(&c, "list", 0, &src, &args, &err, argv, "--two", "--fancy", "--plain",
	    NULL) == 0);
	CHECK(c.way == 2 && c.out == 1);
	opt_free(cmd_rows, &c, &src);
	free(err);
}

static void
opt_read_stops_at_help(void)
{
	struct optsource src;
	struct opt_args args;
	struct cmd c;
	char *argv[32], *err;

	/* What follows --help is not read: neither refused nor set. */
	CHECK(cmd_read(&c, "list", 0, &src, &args, &err, argv, "--plain", "-h", "--bogus",
	    "--name", "n", "x", NULL) == 1);
	CHECK_STR(err, "");
	CHECK(c.help == 1 && c.out == 1 && c.name == NULL);
	opt_free(cmd_rows, &c, &src);
	free(err);
}

static void
opt_read_without_a_prefix_reads_no_environment(void)
{
	struct opt_ctx ctx = { "toy", NULL, NULL, 0 };
	char *argv[] = { "toy", "--big", "3", NULL };
	struct opt_args args;
	struct t_toy t;
	char *err;

	setenv(T_TOY_ENV "COUNT", "7", 1);
	setenv(T_TOY_ENV "CONFIG", "/nonexistent/toy.conf", 1);
	t_toy_defaults(&t);
	t_stderr_begin();
	CHECK(opt_read(t_toy_rows, &ctx, 3, argv, &t, &t.src, &args) == 0);
	err = t_stderr_end();
	CHECK_STR(err, "");
	CHECK(t.count == 4 && t.big == 3);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	/* With the prefix, both are read: the file first, and it is missing. */
	CHECK(toy_parse(&t, &err, "--big", "3", NULL) == -1);
	CHECK(err != NULL && strstr(err, "/nonexistent/toy.conf") != NULL);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	unsetenv(T_TOY_ENV "CONFIG");
	CHECK(toy_parse(&t, &err, "--big", "3", NULL) == 0 && t.count == 7);
	opt_free(t_toy_rows, &t, &t.src);
	free(err);
	unsetenv(T_TOY_ENV "COUNT");
}

static void
opt_usage_of_subcommands_lists_and_alternatives(void)
{
	char *buf = NULL, *text;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	opt_usage(f, cmd_rows, 0, NULL);
	text = mem_text(f, &buf);
	CHECK(strstr(text, "  --one ") != NULL && strstr(text, "the first way\n") != NULL);
	CHECK(strstr(text, "  -q, --query N=V") != NULL);
	CHECK(strstr(text, "a query (repeat for more, up to 2)\n") != NULL);
	CHECK(strstr(text, "an address (repeat for more)\n") != NULL);
	/* The subcommands a row is for come first; a hidden row is not shown. */
	CHECK(strstr(text, "(create) what it is called (also --named)\n") != NULL);
	CHECK(strstr(text, "(create, passwd) read a secret\n") != NULL);
	CHECK(strstr(text, "--named") == strstr(text, "(also --named)") + 6);
	CHECK(strstr(text, "hidden") == NULL);
	/* No defaults given: none shown, the range still is. */
	CHECK(strstr(text, "how long (1 to 60)\n") != NULL);
	free(text);
}

/*
 * What opt_read offers to complete word after the NULL-ended arguments
 * after "cmd" (cmd_rows, for subcommand sub, read as how says).
 */
static char *
cmd_complete(const char *sub, unsigned how, const char *word, ...)
{
	struct opt_ctx ctx = { "cmd", sub, NULL, how };
	char *argv[32] = { "cmd" }, *out, *err;
	struct optsource src;
	struct opt_args args;
	struct cmd c = { 0 };
	int argc = 1, rc;
	va_list ap;

	va_start(ap, word);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	opt_complete(word);
	t_stdout_begin();
	t_stderr_begin();
	rc = opt_read(cmd_rows, &ctx, argc, argv, &c, &src, &args);
	err = t_stderr_end();
	out = t_stdout_end();
	opt_complete(NULL);
	/* It ends the run as a refusal would, having read and said nothing else. */
	CHECK(rc == -1);
	CHECK_STR(err, "");
	CHECK(c.name == NULL && c.wait == 0 && c.queries.n == 0);
	opt_free(cmd_rows, &c, &src);
	free(err);
	return out;
}

static void
opt_complete_offers_the_rows_and_their_values(void)
{
	static const struct {
		const char	*sub;
		unsigned	 how;
		const char	*args[3];
		const char	*word;
		const char	*offers;
	} cases[] = {
		/* The subcommand's rows, not the hidden one. */
		{ "create", 0, { NULL }, "--n", "--name\n" },
		{ "list", 0, { NULL }, "--", "--one\n--two\n--plain\n--fancy\n--query\n--uri\n"
		    "--wait\n--help\n" },
		{ "passwd", 0, { NULL }, "--s", "--secret\n" },
		/* Options only for a word that starts like one. */
		{ "list", 0, { NULL }, "", "" },
		{ "list", 0, { "--plain" }, "--f", "--fancy\n" },
		/* After an option that takes a value: the value, whatever it looks like. */
		{ "list", 0, { "--wait" }, "", "" },
		{ "list", 0, { "--wait" }, "--p", "" },
		{ "list", 0, { "-q" }, "--p", "" },
		{ "list", 0, { "-qa=1" }, "--p", "--plain\n" },
		{ "list", 0, { "--wait=3", "--query", "a" }, "--p", "--plain\n" },
		/* No options after "--", nor after the first argument with OPT_FIRST_ARG. */
		{ "list", 0, { "--", "x" }, "--p", "" },
		{ NULL, OPT_FIRST_ARG, { "run" }, "--p", "" },
		{ NULL, 0, { "run" }, "--p", "--plain\n" },
	};
	char *out;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		out = cmd_complete(cases[i].sub, cases[i].how, cases[i].word, a[0], a[1], a[2],
		    NULL);
		CHECK_STR(out, cases[i].offers);
		if (out == NULL || strcmp(out, cases[i].offers) != 0)
			printf("    case %zu: wanted \"%s\", got \"%s\"\n", i, cases[i].offers,
			    out ? out : "");
		free(out);
	}
}

static void
opt_complete_offers_a_choice_s_values(void)
{
	static const struct {
		const char	*args[2];
		const char	*word;
		const char	*offers;
	} cases[] = {
		{ { "--mode" }, "", "fast\nsafe\nslow\n" },
		{ { "--mode" }, "s", "safe\nslow\n" },
		{ { "--mode=" }, "", "" },	/* already given */
		{ { NULL }, "--mode=s", "--mode=safe\n--mode=slow\n" },
		{ { NULL }, "--count=", "" },
		{ { "--mode", "fast" }, "--lo", "--loud\n" },
	};
	struct opt_ctx ctx = { "toy", NULL, T_TOY_ENV, 0 };
	char *argv[4], *out, *err;
	struct opt_args args;
	struct t_toy t;
	int argc;

	/* Neither the environment nor the config file is read while completing. */
	setenv(T_TOY_ENV "CONFIG", "/nonexistent/toy.conf", 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = "toy";
		for (argc = 1; argc < 3 && cases[i].args[argc - 1] != NULL; argc++)
			argv[argc] = (char *)cases[i].args[argc - 1];
		argv[argc] = NULL;
		t_toy_defaults(&t);
		opt_complete(cases[i].word);
		t_stdout_begin();
		t_stderr_begin();
		CHECK(opt_read(t_toy_rows, &ctx, argc, argv, &t, &t.src, &args) == -1);
		err = t_stderr_end();
		out = t_stdout_end();
		opt_complete(NULL);
		CHECK_STR(err, "");
		CHECK_STR(out, cases[i].offers);
		if (out == NULL || strcmp(out, cases[i].offers) != 0)
			printf("    case %zu: wanted \"%s\", got \"%s\"\n", i, cases[i].offers,
			    out ? out : "");
		CHECK(t.mode == 1);
		opt_free(t_toy_rows, &t, &t.src);
		free(out);
		free(err);
	}
	unsetenv(T_TOY_ENV "CONFIG");
}

void
suite_opt(void)
{
	RUN(opt_parse_sets_each_type);
	RUN(opt_parse_refuses_with_the_reason);
	RUN(opt_usage_shows_ranges_and_defaults_wrapped);
	RUN(opt_report_shows_every_setting_but_command_line_ones);
	RUN(opt_read_gives_the_arguments_after_the_options);
	RUN(opt_read_refuses_with_the_reason);
	RUN(opt_read_stops_at_help);
	RUN(opt_read_without_a_prefix_reads_no_environment);
	RUN(opt_usage_of_subcommands_lists_and_alternatives);
	RUN(opt_complete_offers_the_rows_and_their_values);
	RUN(opt_complete_offers_a_choice_s_values);
}
