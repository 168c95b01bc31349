/* A command's options as rows of a table; see opt.h. */
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../common/num.h"
#include "../common/xmalloc.h"
#include "cli.h"

#define HELP_WIDTH	79	/* columns of --help */
#define LABEL_MAX	27	/* "  --name ARG" longer than this: its help on the next line */
#define CANON_MAX	256	/* bytes of an OPT_LIST value, NUL included */
#define VAL_ROW		256	/* getopt's val of row i: VAL_ROW + i (above any short option) */
#define NBSP		'\x1f'	/* a space --help does not break a line at */

int
opt_is_flag(const struct opt *o)
{
	return o->type == OPT_ON || o->type == OPT_OFF;
}

static void *
field(const struct opt *o, void *base)
{
	return (char *)base + o->off;
}

static const void *
cfield(const struct opt *o, const void *base)
{
	return (const char *)base + o->off;
}

static size_t
count(const struct opt *rows)
{
	size_t n = 0;

	while (rows[n].name != NULL)
		n++;
	return n;
}

/* "'a', 'b' or 'c'": an OPT_CHOICE's values, for its error message. */
static void
choices_text(const struct opt *o, char *out, size_t len)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; o->choices[i] != NULL && k < len; i++)
		k += (size_t)snprintf(out + k, len - k, "%s'%s'",
		    i == 0 ? "" : o->choices[i + 1] != NULL ? ", " : " or ", o->choices[i]);
}

int
opt_set(const struct opt *o, const char *v, void *base)
{
	char flag[128], canon[CANON_MAX], text[256];
	struct opt_list *l;
	int64_t n;

	snprintf(flag, sizeof(flag), "--%s", o->name);
	switch (o->type) {
	case OPT_STR:
		if (o->check != NULL && o->check(flag, v) == -1)
			return -1;
		*(const char **)field(o, base) = v;
		return 0;
	case OPT_UINT:
	case OPT_I64:
		if (num_parse_i64(v, o->min, o->max, &n) == -1) {
			cli_error("%s wants a whole number from %lld to %lld, not '%s'", flag,
			    (long long)o->min, (long long)o->max, v);
			return -1;
		}
		if (o->type == OPT_UINT)
			*(unsigned *)field(o, base) = (unsigned)n;
		else
			*(int64_t *)field(o, base) = n;
		return 0;
	case OPT_ON:
	case OPT_OFF:
		*(int *)field(o, base) = o->type == OPT_ON;
		return 0;
	case OPT_CHOICE:
		for (int i = 0; o->choices[i] != NULL; i++)
			if (strcmp(v, o->choices[i]) == 0) {
				*(int *)field(o, base) = i;
				return 0;
			}
		choices_text(o, text, sizeof(text));
		cli_error("%s is %s, not '%s'", flag, text, v);
		return -1;
	case OPT_LIST:
		if (o->canon == NULL && strlen(v) >= sizeof(canon)) {
			cli_error("%s wants at most %d bytes", flag, CANON_MAX - 1);
			return -1;
		}
		snprintf(canon, sizeof(canon), "%s", v);
		if (o->canon != NULL && o->canon(flag, v, canon, sizeof(canon)) == -1)
			return -1;
		l = field(o, base);
		if (l->n >= (size_t)o->max) {
			cli_error("at most %lld %s %s", (long long)o->max, flag, o->items);
			return -1;
		}
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = xstrdup(canon);
		return 0;
	case OPT__MAX:
		break;
	}
	return -1;
}

/* The row getopt_long answered c for, or NULL ('?': it said why). */
static const struct opt *
row_of(const struct opt *rows, size_t n, int c)
{
	if (c >= VAL_ROW && (size_t)(c - VAL_ROW) < n)
		return &rows[c - VAL_ROW];
	for (size_t i = 0; c > 0 && i < n; i++)
		if (rows[i].short_name == c)
			return &rows[i];
	return NULL;
}

int
opt_parse(const struct opt *rows, int argc, char **argv, const char *env_prefix, void *base,
    struct optsource *src)
{
	size_t n = count(rows), k = 0;
	struct option *longopts = NULL;
	char shorts[64];
	const struct opt *o;
	const char *origin;
	int c, rc = -1;

	if (optsource_build(argc, argv, rows, env_prefix, src) == -1)
		return -1;
	longopts = xcalloc(n + 1, sizeof(*longopts));
	for (size_t i = 0; i < n; i++) {
		longopts[i] = (struct option){ rows[i].name,
		    opt_is_flag(&rows[i]) ? no_argument : required_argument, NULL,
		    rows[i].short_name ? rows[i].short_name : VAL_ROW + (int)i };
		if (rows[i].short_name && k + 3 < sizeof(shorts)) {
			shorts[k++] = (char)rows[i].short_name;
			if (!opt_is_flag(&rows[i]))
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	optind = 0;
	while ((c = getopt_long(src->argc, src->argv, shorts, longopts, NULL)) != -1) {
		if ((o = row_of(rows, n, c)) != NULL && opt_set(o, optarg, base) == 0)
			continue;
		if (optind > 0 && (origin = optsource_origin(src, src->argv[optind - 1])) != NULL)
			cli_error("(that setting is from %s)", origin);
		goto out;
	}
	if (optind != src->argc) {
		cli_error("%s takes no arguments, only options ('%s')", argv[0], src->argv[optind]);
		goto out;
	}
	rc = 0;
out:
	free(longopts);
	return rc;
}

/* The value a row shows in --help and the report; NULL when it has none. */
static const char *
value_text(const struct opt *o, const void *base, char *buf, size_t len)
{
	const void *f = cfield(o, base);
	int64_t n;

	switch (o->type) {
	case OPT_STR:
		return *(const char *const *)f;
	case OPT_UINT:
	case OPT_I64:
		n = o->type == OPT_UINT ? *(const unsigned *)f : *(const int64_t *)f;
		if (n == 0 && o->unset != NULL)
			return NULL;
		snprintf(buf, len, "%lld", (long long)n);
		return buf;
	case OPT_ON:
		return *(const int *)f ? "on" : "off";
	case OPT_OFF:
		return *(const int *)f ? "off" : "on";
	case OPT_CHOICE:
		return o->choices[*(const int *)f];
	case OPT_LIST:
	case OPT__MAX:
		break;
	}
	return NULL;
}

/* Appends to out what --help says after a row's help: "(range; default)". */
static void
help_facts(const struct opt *o, const void *defaults, char *out, size_t len)
{
	char facts[512] = "", buf[64];
	const char *def = NULL;
	size_t k;

	if (o->type == OPT_LIST)
		snprintf(facts, sizeof(facts), "repeat for more, up%cto%c%lld", NBSP, NBSP,
		    (long long)o->max);
	else if (o->type == OPT_UINT || o->type == OPT_I64)
		snprintf(facts, sizeof(facts), "%lld%cto%c%lld", (long long)o->min, NBSP, NBSP,
		    (long long)o->max);
	if (!opt_is_flag(o) && o->type != OPT_LIST)
		def = value_text(o, defaults, buf, sizeof(buf));
	k = strlen(facts);
	if (def != NULL)
		snprintf(facts + k, sizeof(facts) - k, "%sdefault%c%s", k ? "; " : "", NBSP, def);
	else if (o->unset != NULL && !opt_is_flag(o))
		snprintf(facts + k, sizeof(facts) - k, "%sdefault: %s", k ? "; " : "", o->unset);
	k = strlen(out);
	if (facts[0] != '\0')
		snprintf(out + k, len - k, " (%s)", facts);
}

/* "  -h, --name ARG" into out. */
static void
label(const struct opt *o, char *out, size_t len)
{
	char arg[128] = "", shortopt[8] = "";
	size_t k = 0;

	if (o->type == OPT_CHOICE)
		for (size_t i = 0; o->choices[i] != NULL && k < sizeof(arg); i++)
			k += (size_t)snprintf(arg + k, sizeof(arg) - k, "%s%s", i ? "|" : "",
			    o->choices[i]);
	else if (o->arg != NULL)
		snprintf(arg, sizeof(arg), "%s", o->arg);
	if (o->short_name)
		snprintf(shortopt, sizeof(shortopt), "-%c, ", o->short_name);
	snprintf(out, len, "  %s--%s%s%s", shortopt, o->name, arg[0] ? " " : "", arg);
}

/* text after lbl, wrapped at HELP_WIDTH, every line from column col. */
static void
wrap(FILE *f, const char *lbl, int col, const char *text)
{
	int at = fprintf(f, "%s", lbl);
	const char *p = text, *end;
	int word;

	if (at + 2 > col) {
		fputc('\n', f);
		at = 0;
	}
	for (; *p != '\0'; p = end) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, " ");
		word = (int)(end - p);
		if (at > col && at + 1 + word > HELP_WIDTH) {
			fputc('\n', f);
			at = 0;
		}
		if (at < col) {
			at += fprintf(f, "%*s", col - at, "");
		} else {
			fputc(' ', f);
			at++;
		}
		for (int i = 0; i < word; i++)
			fputc(p[i] == NBSP ? ' ' : p[i], f);
		at += word;
	}
	fputc('\n', f);
}

void
opt_usage(FILE *f, const struct opt *rows, unsigned group, const void *defaults)
{
	char lbl[256], text[2048];
	int col = 0;

	/* One column for the group: after its longest label that is not too long. */
	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (o->group != group)
			continue;
		label(o, lbl, sizeof(lbl));
		if ((int)strlen(lbl) <= LABEL_MAX && (int)strlen(lbl) + 2 > col)
			col = (int)strlen(lbl) + 2;
	}
	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (o->group != group)
			continue;
		label(o, lbl, sizeof(lbl));
		snprintf(text, sizeof(text), "%s", o->help);
		help_facts(o, defaults, text, sizeof(text));
		wrap(f, lbl, col, text);
	}
}

static void
report_line(FILE *f, const char *name, const char *value, const char *unset)
{
	if (value != NULL)
		fprintf(f, "  %-*s %s\n", OPT_REPORT_WIDTH, name, value);
	else
		fprintf(f, "  %-*s (%s)\n", OPT_REPORT_WIDTH, name, unset ? unset : "none");
}

void
opt_report(FILE *f, const struct opt *rows, const void *base)
{
	const struct opt_list *l;
	const char *v;
	char buf[64];

	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (o->flags & (OPT_ARGV | OPT_FILE))
			continue;
		if (o->type == OPT_LIST) {
			l = cfield(o, base);
			for (size_t i = 0; i < l->n; i++)
				report_line(f, o->name, l->v[i], NULL);
			if (l->n == 0)
				report_line(f, o->name, NULL, o->unset);
			continue;
		}
		v = value_text(o, base, buf, sizeof(buf));
		if (o->show != NULL)
			v = o->show(v);
		report_line(f, o->name, v, o->unset);
	}
}

void
opt_free(const struct opt *rows, void *base, struct optsource *src)
{
	struct opt_list *l;

	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (o->type != OPT_LIST)
			continue;
		l = field(o, base);
		for (size_t i = 0; i < l->n; i++)
			free(l->v[i]);
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
	optsource_free(src);
}
