/*
 * Unit tests of opt: options as table rows (fixtures.c's t_toy_rows), read
 * from the command line into their fields with each type's checks and
 * messages, --help made from the rows, the report of what was read.
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
		{ { "--loud=yes" }, "option '--loud' doesn't allow an argument" },
		{ { "--nope" }, "unrecognized option '--nope'" },
		{ { "--count" }, "option '--count' requires an argument" },
		{ { "extra" }, "toy takes no arguments, only options ('extra')" },
		{ { "--loud", "--", "--quiet" }, "toy takes no arguments, only options ('--quiet')" },
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

void
suite_opt(void)
{
	RUN(opt_parse_sets_each_type);
	RUN(opt_parse_refuses_with_the_reason);
	RUN(opt_usage_shows_ranges_and_defaults_wrapped);
	RUN(opt_report_shows_every_setting_but_command_line_ones);
}
