/*
 * How a command is read and run (cli.c's cli_run): the subcommand, one
 * word or two, then its options (opt.c) into a struct that starts as its
 * defaults, and the run with what follows; --help, a missing or unknown
 * subcommand and a usage error, each with its exit status and words; and
 * what it offers, never running the command, when completing.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/cli/cli.h"
#include "t.h"

struct toy_opts {
	const char	*name;
	unsigned	 wait;
	int		 help;
};

enum toy_sub { TOY_MAKE, TOY_LINK_ADD, TOY_LINK_DROP, TOY_LIST };

/* What the last run was given. */
static struct {
	int		 runs;
	int		 sub;
	const char	*name;
	unsigned	 wait;
	int		 n;
	const char	*first;
} ran;

static int
toy_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	const struct toy_opts *o = opts;

	(void)c;
	ran.runs++;
	ran.sub = a->sub;
	ran.name = o->name;
	ran.wait = o->wait;
	ran.n = a->n;
	ran.first = a->n > 0 ? a->v[0] : NULL;
	return 7;
}

static const struct opt toy_rows[] = {
	{ "name", OPT_AS_STR(struct toy_opts, name), .arg = "NAME",
	    .only = OPT_ONLY("make"), .help = "what to call it" },
	{ "wait", OPT_AS_UINT(struct toy_opts, wait), .arg = "SECS", .min = 1, .max = 9,
	    .help = "how long" },
	CLI_ROW_HELP(struct toy_opts, help),
	{ .name = NULL }
};

static const struct toy_opts toy_defaults = { .wait = 3 };

static const struct cli_cmd toy = {
	.name = "toy",
	.subs = (const struct cli_sub[]){
		[TOY_MAKE] = { "make", -1, NULL },
		[TOY_LINK_ADD] = { "link add", 2, "A B" },
		[TOY_LINK_DROP] = { "link drop", 1, "A" },
		[TOY_LIST] = { "list", 0, NULL },
		{ NULL }
	},
	.rows = toy_rows,
	.size = sizeof(struct toy_opts),
	.defaults = &toy_defaults,
	.run = toy_run,
	.head = "Usage: twauth toy SUB\n\nOptions:\n",
	.tail = "The end.\n",
};

/*
 * cli_run of toy on the NULL-ended arguments after "toy"; stderr into
 * *err, stdout (--help) thrown away.
 */
static int
toy_cli(char **err, ...)
{
	static char *argv[32];
	int argc = 1, rc, out, null;
	va_list ap;

	argv[0] = "toy";
	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(&ran, 0, sizeof(ran));
	fflush(stdout);
	out = dup(1);
	if ((null = open("/dev/null", O_WRONLY)) != -1) {
		dup2(null, 1);
		close(null);
	}
	t_stderr_begin();
	rc = cli_run(&toy, argc, argv);
	*err = t_stderr_end();
	fflush(stdout);
	dup2(out, 1);
	close(out);
	return rc;
}

static void
cli_run_reads_the_subcommand_then_its_options(void)
{
	char *err;

	/* The options start as the defaults; those given win. */
	CHECK(toy_cli(&err, "make", "x", "--name", "n", NULL) == 7);
	CHECK_STR(err, "");
	CHECK(ran.runs == 1 && ran.sub == TOY_MAKE && ran.wait == 3 && ran.n == 1);
	CHECK_STR(ran.name, "n");
	CHECK_STR(ran.first, "x");
	free(err);
	/* Two words name one subcommand; what follows is its arguments. */
	CHECK(toy_cli(&err, "link", "drop", "--wait=9", "a", NULL) == 7);
	CHECK(ran.sub == TOY_LINK_DROP && ran.wait == 9 && ran.n == 1);
	CHECK_STR(ran.first, "a");
	free(err);
	CHECK(toy_cli(&err, "link", "add", "a", "b", NULL) == 7);
	CHECK(ran.sub == TOY_LINK_ADD && ran.n == 2);
	free(err);
}

static void
cli_run_says_what_is_wrong(void)
{
	static const struct {
		const char	*args[3];
		int		 rc;
		const char	*says;
	} cases[] = {
		{ { NULL }, EXIT_USAGE, "Usage: twauth toy SUB\n\nOptions:\n  --name NAME" },
		{ { "frob" }, EXIT_USAGE, "twauth: unknown toy subcommand 'frob'\n"
		    "Run 'twauth toy --help' for usage.\n" },
		{ { "link" }, EXIT_USAGE, "twauth: toy link wants 'add' or 'drop'\n" },
		{ { "link", "--wait=2", "add" }, EXIT_USAGE, "toy link wants 'add' or 'drop'" },
		{ { "link", "add", "--name=n" }, EXIT_USAGE,
		    "twauth: --name is only for 'twauth toy make'\n"
		    "Run 'twauth toy --help' for usage.\n" },
		{ { "make", "--wait", "0" }, EXIT_USAGE, "--wait wants a whole number from 1 to 9" },
		{ { "make", "--bogus" }, EXIT_USAGE, "twauth: unknown option '--bogus'\n"
		    "Run 'twauth toy --help' for usage.\n" },
		{ { "make", "--nam", "x" }, EXIT_USAGE,
		    "twauth: unknown option '--nam'; did you mean --name?\n" },
		/* A subcommand that takes no arguments: cli_run refuses them. */
		{ { "list", "x" }, EXIT_USAGE, "twauth: unexpected argument 'x': 'twauth toy list' "
		    "takes no arguments\nRun 'twauth toy --help' for usage.\n" },
		{ { "--help" }, EXIT_OK, "" },
		{ { "make", "-h", "--bogus" }, EXIT_OK, "" },
	};
	char *err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		CHECK(toy_cli(&err, a[0], a[1], a[2], NULL) == cases[i].rc);
		CHECK(ran.runs == 0);
		CHECK(err != NULL && strstr(err, cases[i].says) != NULL);
		if (cases[i].says[0] == '\0')
			CHECK_STR(err, "");
		if (err == NULL || strstr(err, cases[i].says) == NULL)
			printf("    wanted \"%s\", got \"%s\"\n", cases[i].says, err ? err : "");
		free(err);
	}
}

static void
cli_usage_puts_the_rows_between_head_and_tail(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cli_usage(&toy, f);
	fclose(f);
	CHECK(strncmp(buf, toy.head, strlen(toy.head)) == 0);
	CHECK(strstr(buf, "  --name NAME  (make) what to call it\n") != NULL);
	/* The range, and the default read from the defaults. */
	CHECK(strstr(buf, "how long (1 to 9; default 3)\n") != NULL);
	CHECK(strstr(buf, "  -h, --help   this help\nThe end.\n") != NULL);
	free(buf);
}

/* What cli_run offers to complete word after the NULL-ended arguments after "toy". */
static char *
toy_complete(int *rc, const char *word, ...)
{
	static char *argv[32];
	int argc = 1;
	char *out, *err;
	va_list ap;

	argv[0] = "toy";
	va_start(ap, word);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(&ran, 0, sizeof(ran));
	opt_complete(word);
	t_stdout_begin();
	t_stderr_begin();
	*rc = cli_run(&toy, argc, argv);
	err = t_stderr_end();
	out = t_stdout_end();
	opt_complete(NULL);
	CHECK(ran.runs == 0);	/* completing never runs the command */
	free(err);
	return out;
}

static void
cli_run_completes_subcommands_then_options(void)
{
	static const struct {
		const char	*args[3];
		const char	*word;
		const char	*offers;
	} cases[] = {
		/* "link" once for its two subcommands. */
		{ { NULL }, "", "make\nlink\nlist\n" },
		{ { NULL }, "li", "link\nlist\n" },
		{ { "link" }, "", "add\ndrop\n" },
		{ { "link" }, "d", "drop\n" },
		/* The subcommand's rows only: --name is make's. */
		{ { "make" }, "--", "--name\n--wait\n--help\n" },
		{ { "link", "add" }, "--", "--wait\n--help\n" },
		{ { "make", "--wait" }, "", "" },
		/* Nothing that is not a candidate reaches stdout, usage included. */
		{ { "--help" }, "", "" },
		{ { "bogus" }, "--", "" },
	};
	char *out;
	int rc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i].args;

		out = toy_complete(&rc, cases[i].word, a[0], a[1], a[2], NULL);
		CHECK_STR(out, cases[i].offers);
		if (out == NULL || strcmp(out, cases[i].offers) != 0)
			printf("    case %zu: wanted \"%s\", got \"%s\"\n", i, cases[i].offers,
			    out ? out : "");
		free(out);
	}
}

void
suite_cli(void)
{
	RUN(cli_run_reads_the_subcommand_then_its_options);
	RUN(cli_run_says_what_is_wrong);
	RUN(cli_usage_puts_the_rows_between_head_and_tail);
	RUN(cli_run_completes_subcommands_then_options);
}
