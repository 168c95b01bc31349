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
	return o->type == OPT_ON || o->type == OPT_OFF || o->type == OPT_VAL;
}

/* The row's name in messages: "-q" when it has a short option, else "--name". */
static void
flag_name(const struct opt *o, char *out, size_t len)
{
	if (o->short_name)
		snprintf(out, len, "-%c", o->short_name);
	else
		snprintf(out, len, "--%s", o->name);
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

/* Appends words[0..n) to out as "'a', 'b' or 'c'" (quote "'", last " or "). */
static void
join(char *out, size_t len, const char *const *words, size_t n, const char *quote,
    const char *last)
{
	size_t k = strlen(out);

	for (size_t i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(out + k, len - k, "%s%s%s%s",
		    i == 0 ? "" : i + 1 < n ? ", " : last, quote, words[i], quote);
}

static size_t
count_words(const char *const *words)
{
	size_t n = 0;

	while (words[n] != NULL)
		n++;
	return n;
}

/* Whether o's list l has room for another value: 0, or -1 with the reason printed. */
static MUST_CHECK int
list_room(const struct opt *o, const char *flag, const struct opt_list *l)
{
	if (o->max == 0 || l->n < (size_t)o->max)
		return 0;
	cli_error("at most %lld %s %s", (long long)o->max, flag, o->items);
	return -1;
}

static void
list_push(struct opt_list *l, char *v)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = v;
}

int
opt_set(const struct opt *o, const char *v, void *base)
{
	char flag[128], canon[CANON_MAX], text[256] = "";
	int64_t n;

	flag_name(o, flag, sizeof(flag));
	switch (o->type) {
	case OPT_STR:
		if (o->check != NULL && o->check(flag, v) == -1)
			return -1;
		*(const char **)field(o, base) = v;
		return 0;
	case OPT_UINT:
	case OPT_I64:
		if (num_parse_i64(v, o->min, o->max, &n) == -1) {
			if (o->unit != NULL)
				cli_error("%s takes %lld to %lld %s", flag, (long long)o->min,
				    (long long)o->max, o->unit);
			else
				cli_error("%s wants a whole number from %lld to %lld, not '%s'",
				    flag, (long long)o->min, (long long)o->max, v);
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
	case OPT_VAL:
		*(int *)field(o, base) = (int)o->min;
		return 0;
	case OPT_CHOICE:
		for (int i = 0; o->choices[i] != NULL; i++)
			if (strcmp(v, o->choices[i]) == 0) {
				*(int *)field(o, base) = i;
				return 0;
			}
		join(text, sizeof(text), o->choices, count_words(o->choices), "'", " or ");
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
		if (list_room(o, flag, field(o, base)) == -1)
			return -1;
		list_push(field(o, base), xstrdup(canon));
		return 0;
	case OPT_ARGS:
		/* The argument itself: what it says is for the command to judge. */
		if (list_room(o, flag, field(o, base)) == -1)
			return -1;
		list_push(field(o, base), (char *)v);
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

/* Whether the row is for subcommand sub (NULL: none). */
static int
for_sub(const struct opt *o, const char *sub)
{
	for (size_t i = 0; o->only != NULL && o->only[i] != NULL; i++)
		if (sub != NULL && strcmp(o->only[i], sub) == 0)
			return 1;
	return o->only == NULL;
}

/* Whether the row is for ctx's subcommand: 0, or -1 with the reason printed. */
static MUST_CHECK int
allowed(const struct opt *o, const struct opt_ctx *ctx)
{
	char flag[128], subs[512] = "";
	size_t n;

	if (for_sub(o, ctx->sub))
		return 0;
	n = count_words(o->only);
	flag_name(o, flag, sizeof(flag));
	if (n == 1) {
		cli_error("%s is only for 'twauth %s %s'", flag, ctx->cmd, o->only[0]);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(subs + strlen(subs), sizeof(subs) - strlen(subs), "%s'%s %s'",
		    i == 0 ? "" : i + 1 < n ? ", " : " and ", ctx->cmd, o->only[i]);
	cli_error("%s is for %s", flag, subs);
	return -1;
}

/* Whether rows a and b are alternatives: OPT_VAL rows of one field, with .items. */
static int
rivals(const struct opt *a, const struct opt *b)
{
	return a->type == OPT_VAL && b->type == OPT_VAL && a->items != NULL &&
	    b->items != NULL && a->off == b->off;
}

/*
 * Refuses two alternatives given, or one twice (times[i]: how often
 * rows[i] was): 0, or -1 with the reason printed.
 */
static MUST_CHECK int
one_of_each(const struct opt *rows, size_t n, const unsigned *times)
{
	char text[512], flag[128];
	size_t i, k, m, j;
	unsigned given;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i && !rivals(&rows[k], &rows[i]); k++)
			;
		if (!rivals(&rows[i], &rows[i]) || k < i)
			continue;	/* not an alternative, or its field counted at row k */
		for (given = 0, m = 0, k = i; k < n; k++)
			if (rivals(&rows[k], &rows[i])) {
				given += times[k];
				m++;
			}
		if (given < 2)
			continue;
		snprintf(text, sizeof(text), "choose one %s: ", rows[i].items);
		for (j = 0, k = i; k < n; k++) {
			if (!rivals(&rows[k], &rows[i]))
				continue;
			flag_name(&rows[k], flag, sizeof(flag));
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s",
			    j == 0 ? "" : j + 1 < m ? ", " : " or ", flag);
			j++;
		}
		cli_error("%s", text);
		return -1;
	}
	return 0;
}

/* The row i stands for: a hidden row is another name of the row before it. */
static const struct opt *
primary(const struct opt *rows, size_t i)
{
	return (rows[i].flags & OPT_HIDDEN) && i > 0 ? &rows[i - 1] : &rows[i];
}

/* The row the argument w names ("--name", "--name=V", "-x", "-xV"), or NULL. */
static const struct opt *
named(const struct opt *rows, size_t n, const char *w)
{
	size_t len;

	if (w[0] != '-' || w[1] == '\0')
		return NULL;
	if (w[1] != '-')
		return row_of(rows, n, (unsigned char)w[1]);
	len = strcspn(w + 2, "=");
	for (size_t i = 0; i < n; i++)
		if (strlen(rows[i].name) == len && strncmp(rows[i].name, w + 2, len) == 0)
			return primary(rows, i);
	return NULL;
}

/*
 * The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), or NAME_FAR when either is longer than NAME_MAX_LEN.
 */
#define NAME_MAX_LEN	63
#define NAME_FAR	1000
static int
distance(const char *a, size_t la, const char *b, size_t lb)
{
	int d[3][NAME_MAX_LEN + 2], *prev2 = d[0], *prev = d[1], *row = d[2], *t;

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return NAME_FAR;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			row[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = row;
		row = t;
	}
	return prev[lb];
}

/*
 * How near a mistyped name (len bytes) is to a row's: 0 when one begins the
 * other ("client-secret" and "client-secret-stdin"), else the edit distance
 * if it is small for the length ("logn" and "login"), else NAME_FAR.
 */
static int
nearness(const char *typed, size_t len, const char *name)
{
	size_t n = strlen(name);
	int d;

	if (len >= 2 && strncmp(typed, name, len < n ? len : n) == 0)
		return 0;
	d = distance(typed, len, name, n);
	return d <= ((len < n ? len : n) <= 4 ? 1 : 2) ? d : NAME_FAR;
}

#define SUGGEST_MAX	3	/* more names as near as these: none is a good guess */

/*
 * "unknown option '--typed'" for the argument w (what follows '=' left out:
 * it may be a secret), and the names of the rows for ctx's subcommand
 * nearest to it, when there are few enough of them.
 */
static void
unknown_long(const struct opt *rows, size_t n, const struct opt_ctx *ctx, const char *w)
{
	const char *typed = w + 2, *near[SUGGEST_MAX + 1];
	size_t len = strcspn(typed, "="), k = 0;
	int best = NAME_FAR, d;
	char text[256] = "";

	for (size_t i = 0; i < n; i++) {
		const struct opt *o = primary(rows, i);

		if (!for_sub(o, ctx->sub) || (d = nearness(typed, len, rows[i].name)) > best)
			continue;
		if (d < best)
			k = 0;
		best = d;
		for (size_t j = 0; j < k && o != NULL; j++)
			if (strcmp(near[j], o->name) == 0)
				o = NULL;	/* its other name is as near */
		if (o != NULL && k <= SUGGEST_MAX)
			near[k++] = o->name;
	}
	for (size_t j = 0; best < NAME_FAR && k <= SUGGEST_MAX && j < k; j++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s--%s%s",
		    j == 0 ? "; did you mean " : j + 1 < k ? ", " : " or ", near[j],
		    j + 1 == k ? "?" : "");
	cli_error("unknown option '--%.*s'%s", (int)(len < 64 ? len : 64), typed, text);
}

/*
 * Says what getopt_long refused (opterr is 0, the words are ours): it
 * answered '?' with optopt, for the argument w (src->argv[optind - 1]): 0
 * for an unknown long option, else the row's or the unknown short one's.
 */
static void
refused(const struct opt *rows, size_t n, const struct opt_ctx *ctx, const char *w)
{
	const struct opt *o = optopt ? row_of(rows, n, optopt) : NULL;
	char flag[128];

	/* An abbreviation with a value it cannot take, or without one it needs. */
	if (optopt == 0 || (o != NULL && strncmp(w, "--", 2) == 0 && named(rows, n, w) == NULL)) {
		unknown_long(rows, n, ctx, w);
	} else if (o != NULL) {
		/* Named as typed: "--scope" is "--scopes" too, "--help" is "-h". */
		if (strncmp(w, "--", 2) == 0)
			snprintf(flag, sizeof(flag), "--%.*s", (int)strcspn(w + 2, "="), w + 2);
		else
			flag_name(o, flag, sizeof(flag));
		if (opt_is_flag(o))
			cli_error("%s takes no value", flag);	/* "--json=1" */
		else
			cli_error("%s needs a value%s%s", flag, o->arg ? ": " : "",
			    o->arg ? o->arg : "");
	} else {
		cli_error("unknown option '-%c'", optopt);
	}
}

/*
 * The argument getopt_long took as the long option longopts[li] (with its
 * value after it, when optarg is that), if it is not the option's whole name:
 * getopt_long takes abbreviations, which opt.h says are refused.
 */
static const char *
abbreviated(const struct option *longopts, int li, char **argv)
{
	const char *w;

	if (li < 0)
		return NULL;
	w = optarg != NULL && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
	if (strncmp(w, "--", 2) != 0)
		return NULL;
	if (strcspn(w + 2, "=") == strlen(longopts[li].name) &&
	    strncmp(w + 2, longopts[li].name, strlen(longopts[li].name)) == 0)
		return NULL;
	return w;
}

/* Completion: see opt.h. */
static const char *complete_word;

void
opt_complete(const char *word)
{
	complete_word = word;
}

const char *
opt_completing(void)
{
	return complete_word;
}

/* Prints head then the first len bytes of tail if that completes the word. */
static void
offer(const char *head, const char *tail, size_t len)
{
	char text[512];
	size_t n = strlen(complete_word);

	if ((size_t)snprintf(text, sizeof(text), "%s%.*s", head, (int)len, tail) >=
	    sizeof(text))
		return;
	if (strncmp(text, complete_word, n) == 0)
		printf("%s\n", text);
}

void
opt_offer(const char *candidate, size_t len)
{
	offer("", candidate, len);
}

/* The values of o that complete the word, after head ("--name=", or ""). */
static void
offer_values(const struct opt *o, const char *head)
{
	for (size_t i = 0; o->type == OPT_CHOICE && o->choices[i] != NULL; i++)
		offer(head, o->choices[i], strlen(o->choices[i]));
}

/*
 * What completes the word after argv[1..argc): which of those are options
 * and which their values decides whether the word is a value, an option,
 * or neither (after "--", or after the first argument with OPT_FIRST_ARG).
 */
static void
complete(const struct opt *rows, const struct opt_ctx *ctx, int argc, char **argv)
{
	const char *word = complete_word, *eq;
	const struct opt *o, *wants = NULL;
	size_t n = count(rows);
	char head[128];

	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (wants != NULL) {
			wants = NULL;	/* w is its value */
			continue;
		}
		if (strcmp(w, "--") == 0)
			return;
		if (w[0] == '-' && w[1] != '\0') {
			o = named(rows, n, w);
			if (o != NULL && !opt_is_flag(o) &&
			    (w[1] == '-' ? strchr(w, '=') == NULL : w[2] == '\0'))
				wants = o;
			continue;
		}
		if (ctx->how & OPT_FIRST_ARG)
			return;
	}
	if (wants != NULL) {
		offer_values(wants, "");
		return;
	}
	if (word[0] != '-')
		return;
	if (word[1] == '-' && (eq = strchr(word, '=')) != NULL) {
		snprintf(head, sizeof(head), "%.*s", (int)(eq + 1 - word), word);
		if ((o = named(rows, n, word)) != NULL)
			offer_values(o, head);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!(rows[i].flags & OPT_HIDDEN) && for_sub(&rows[i], ctx->sub))
			offer("--", rows[i].name, strlen(rows[i].name));
}

int
opt_read(const struct opt *rows, const struct opt_ctx *ctx, int argc, char **argv,
    void *base, struct optsource *src, struct opt_args *args)
{
	size_t n = count(rows), k = 0;
	struct option *longopts = NULL;
	unsigned *times = NULL;
	char shorts[64];
	const struct opt *o;
	const char *origin, *w;
	int c, li, rc = -1;

	args->v = NULL;
	args->n = 0;
	if (complete_word != NULL) {
		memset(src, 0, sizeof(*src));	/* for opt_free */
		complete(rows, ctx, argc, argv);
		return -1;
	}
	if (optsource_build(argc, argv, rows, ctx->env_prefix, src) == -1)
		return -1;
	longopts = xcalloc(n + 1, sizeof(*longopts));
	times = xcalloc(n + 1, sizeof(*times));
	/* "+": getopt stops at the first argument instead of looking past it. */
	if (ctx->how & OPT_FIRST_ARG)
		shorts[k++] = '+';
	for (size_t i = 0; i < n; i++) {
		const struct opt *r = primary(rows, i);

		longopts[i] = (struct option){ rows[i].name,
		    opt_is_flag(r) ? no_argument : required_argument, NULL,
		    r->short_name ? r->short_name : VAL_ROW + (int)(r - rows) };
		if (rows[i].short_name && k + 3 < sizeof(shorts)) {
			shorts[k++] = (char)rows[i].short_name;
			if (!opt_is_flag(&rows[i]))
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	optind = 0;
	opterr = 0;
	while ((li = -1, c = getopt_long(src->argc, src->argv, shorts, longopts, &li)) != -1) {
		if ((o = row_of(rows, n, c)) == NULL)
			refused(rows, n, ctx, src->argv[optind - 1]);
		else if ((w = abbreviated(longopts, li, src->argv)) != NULL)
			unknown_long(rows, n, ctx, w);
		else if (allowed(o, ctx) == 0 && opt_set(o, optarg, base) == 0) {
			times[o - rows]++;
			if (o->flags & OPT_HELP) {
				rc = 1;
				goto out;
			}
			continue;
		}
		if (optind > 0 && (origin = optsource_origin(src, src->argv[optind - 1])) != NULL)
			cli_error("(that setting is from %s)", origin);
		goto out;
	}
	if (one_of_each(rows, n, times) == -1)
		goto out;
	if (optind != src->argc && !(ctx->how & OPT_TAKE_ARGS)) {
		cli_error("unexpected argument '%s': 'twauth %s%s%s' takes only options",
		    src->argv[optind], ctx->cmd, ctx->sub ? " " : "", ctx->sub ? ctx->sub : "");
		goto out;
	}
	args->v = src->argv + optind;
	args->n = src->argc - optind;
	rc = 0;
out:
	free(times);
	free(longopts);
	return rc;
}

int
opt_parse(const struct opt *rows, int argc, char **argv, const char *env_prefix, void *base,
    struct optsource *src)
{
	struct opt_ctx ctx = { argv[0], NULL, env_prefix, 0 };
	struct opt_args args;

	return opt_read(rows, &ctx, argc, argv, base, src, &args);
}

/* The value a row shows in --help and the report; NULL when it has none. */
static const char *
value_text(const struct opt *o, const void *base, char *buf, size_t len)
{
	const void *f;
	int64_t n;

	if (base == NULL)
		return NULL;
	f = cfield(o, base);
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
	case OPT_VAL:
		return *(const int *)f == o->min ? "on" : "off";
	case OPT_CHOICE:
		return o->choices[*(const int *)f];
	case OPT_LIST:
	case OPT_ARGS:
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

	if ((o->type == OPT_LIST || o->type == OPT_ARGS) && o->max > 0)
		snprintf(facts, sizeof(facts), "repeat for more, up%cto%c%lld", NBSP, NBSP,
		    (long long)o->max);
	else if (o->type == OPT_ARGS)
		snprintf(facts, sizeof(facts), "repeat for more");
	else if (o->type == OPT_UINT || o->type == OPT_I64)
		snprintf(facts, sizeof(facts), "%lld%cto%c%lld", (long long)o->min, NBSP, NBSP,
		    (long long)o->max);
	if (!opt_is_flag(o) && o->type != OPT_LIST && o->type != OPT_ARGS)
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
		if (o->group != group || (o->flags & OPT_HIDDEN))
			continue;
		label(o, lbl, sizeof(lbl));
		if ((int)strlen(lbl) <= LABEL_MAX && (int)strlen(lbl) + 2 > col)
			col = (int)strlen(lbl) + 2;
	}
	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (o->group != group || (o->flags & OPT_HIDDEN))
			continue;
		label(o, lbl, sizeof(lbl));
		text[0] = '\0';
		if (o->only != NULL) {
			snprintf(text, sizeof(text), "(");
			join(text, sizeof(text), o->only, count_words(o->only), "", ", ");
			snprintf(text + strlen(text), sizeof(text) - strlen(text), ") ");
		}
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", o->help);
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
		if (o->type == OPT_LIST || o->type == OPT_ARGS) {
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
		if (o->type != OPT_LIST && o->type != OPT_ARGS)
			continue;
		l = field(o, base);
		for (size_t i = 0; o->type == OPT_LIST && i < l->n; i++)
			free(l->v[i]);
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
	optsource_free(src);
}
