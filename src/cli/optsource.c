/* Options from a config file and the environment; see optsource.h. */
#include "optsource.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/xmalloc.h"
#include "cli.h"
#include "opt.h"

static int
listed(const char *name, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

/* 1 for true, 0 for false, -1 for neither. */
static int
truth(const char *v)
{
	static const char *const yes[] = { "", "1", "true", "yes", "on", NULL };
	static const char *const no[] = { "0", "false", "no", "off", NULL };

	return listed(v, yes) ? 1 : listed(v, no) ? 0 : -1;
}

/* Adds "--name" or "--name=value", from origin, to the arguments made. */
static void
add(struct optsource *s, size_t *cap, const char *name, const char *value, const char *origin)
{
	size_t n = strlen(name) + (value ? strlen(value) + 1 : 0) + 3;
	char *arg = xmalloc(n);

	snprintf(arg, n, "--%s%s%s", name, value ? "=" : "", value ? value : "");
	if (s->n_made == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		s->made = xrealloc(s->made, *cap * sizeof(*s->made));
		s->origin = xrealloc(s->origin, *cap * sizeof(*s->origin));
	}
	s->made[s->n_made] = arg;
	s->origin[s->n_made++] = xstrdup(origin);
}

/* Whether a row's option comes from the command line only. */
static int
argv_only(const struct opt *o)
{
	return (o->flags & (OPT_ARGV | OPT_FILE)) != 0;
}

/* The row of the setting name, or NULL if there is none. */
static const struct opt *
find(const struct opt *rows, const char *name)
{
	for (; rows->name != NULL; rows++)
		if (strcmp(rows->name, name) == 0)
			return argv_only(rows) ? NULL : rows;
	return NULL;
}

/* PREFIX + name in capitals with '_' for '-', into out ("TWAUTH_PUBLIC_URL"). */
static void
env_name(const char *prefix, const char *name, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "%s", prefix);

	for (const char *p = name; *p != '\0' && n + 1 < len; p++)
		out[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	if (n < len)
		out[n] = '\0';
}

/* Adds one setting; -1 (with the reason printed) if it is not one. */
static int
setting(struct optsource *s, size_t *cap, const struct opt *o, const char *value,
    const char *origin)
{
	char *copy, *p, *word;
	int t;

	if (opt_is_flag(o)) {
		if ((t = truth(value)) == -1) {
			cli_error("%s: %s is a flag: true or false, not '%s'", origin, o->name, value);
			return -1;
		}
		if (t)
			add(s, cap, o->name, NULL, origin);
		return 0;
	}
	if (*value == '\0') {
		cli_error("%s: %s needs a value", origin, o->name);
		return -1;
	}
	if (o->type != OPT_LIST || origin[0] != '$') {
		add(s, cap, o->name, value, origin);
		return 0;
	}
	/* A repeatable option in the environment: a list. */
	copy = xstrdup(value);
	for (p = copy; (word = strsep(&p, ", \t")) != NULL;)
		if (*word != '\0')
			add(s, cap, o->name, word, origin);
	free(copy);
	return 0;
}

static char *
trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One line of the file: "name = value", "name value" or "name". */
static int
file_line(struct optsource *s, size_t *cap, char *line, const struct opt *rows,
    const char *origin)
{
	const struct opt *o;
	char *name, *value;
	size_t n;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	name = line;
	n = strcspn(line, " \t=");
	value = line + n;
	if (*value != '\0')
		*value++ = '\0';
	value = trim(value);
	if (*value == '=')
		value = trim(value + 1);
	n = strlen(value);
	if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
		value[n - 1] = '\0';
		value++;
	}
	if ((o = find(rows, name)) == NULL) {
		cli_error("%s: unknown setting '%s' (settings are the long options of "
		    "--help, without the dashes)", origin, name);
		return -1;
	}
	return setting(s, cap, o, value, origin);
}

static int
read_file(struct optsource *s, size_t *cap, const char *path, const struct opt *rows)
{
	char *line = NULL, origin[600];
	size_t line_cap = 0;
	struct stat sb;
	ssize_t len;
	FILE *f;
	int rc = 0, n = 0;

	if ((f = fopen(path, "re")) == NULL) {
		cli_error("cannot read the config file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > OPTSOURCE_MAX_FILE) {
		cli_error("the config file %s is not a regular file of at most %d bytes", path,
		    OPTSOURCE_MAX_FILE);
		fclose(f);
		return -1;
	}
	/* getline, not fgets: its length counts past a NUL byte, which fgets hides. */
	while (rc == 0 && (len = getline(&line, &line_cap, f)) != -1) {
		snprintf(origin, sizeof(origin), "%s line %d", path, ++n);
		if (len > OPTSOURCE_MAX_LINE) {
			cli_error("%s: longer than %d bytes", origin, OPTSOURCE_MAX_LINE);
			rc = -1;
		} else if (memchr(line, '\0', (size_t)len) != NULL) {
			cli_error("%s: not text", origin);
			rc = -1;
		} else
			rc = file_line(s, cap, line, rows, origin);
	}
	if (rc == 0 && ferror(f)) {
		cli_error("cannot read the config file %s", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static int
read_env(struct optsource *s, size_t *cap, const struct opt *rows, const char *prefix)
{
	char name[128], origin[130];
	const char *v;

	for (const struct opt *o = rows; o->name != NULL; o++) {
		if (argv_only(o))
			continue;
		env_name(prefix, o->name, name, sizeof(name));
		if ((v = getenv(name)) == NULL || *v == '\0')
			continue;
		snprintf(origin, sizeof(origin), "$%s", name);
		if (setting(s, cap, o, v, origin) == -1)
			return -1;
	}
	return 0;
}

/*
 * The config file: the OPT_FILE row's option on the command line (before
 * any "--"), else PREFIX + its name; NULL for none.
 */
static const char *
config_path(int argc, char **argv, const struct opt *rows, const char *prefix)
{
	const struct opt *o = rows;
	const char *found = NULL;
	char name[128];
	size_t n;

	while (o->name != NULL && !(o->flags & OPT_FILE))
		o++;
	if (o->name == NULL)
		return NULL;
	n = strlen(o->name);
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, o->name, n) != 0)
			continue;
		if (argv[i][n + 2] == '\0' && i + 1 < argc)
			found = argv[++i];
		else if (argv[i][n + 2] == '=')
			found = argv[i] + n + 3;
	}
	if (found != NULL || prefix == NULL)
		return found;
	env_name(prefix, o->name, name, sizeof(name));
	found = getenv(name);
	return found != NULL && *found != '\0' ? found : NULL;
}

int
optsource_build(int argc, char **argv, const struct opt *rows, const char *env_prefix,
    struct optsource *out)
{
	const char *path = config_path(argc, argv, rows, env_prefix);
	size_t cap = 0, k = 0;

	memset(out, 0, sizeof(*out));
	if ((path != NULL && read_file(out, &cap, path, rows) == -1) ||
	    (env_prefix != NULL && read_env(out, &cap, rows, env_prefix) == -1)) {
		optsource_free(out);
		return -1;
	}
	out->argc = argc + (int)out->n_made;
	out->argv = xcalloc((size_t)out->argc + 1, sizeof(*out->argv));
	out->argv[k++] = argv[0];
	for (size_t i = 0; i < out->n_made; i++)
		out->argv[k++] = out->made[i];
	for (int i = 1; i < argc; i++)
		out->argv[k++] = argv[i];
	return 0;
}

const char *
optsource_origin(const struct optsource *s, const char *arg)
{
	for (size_t i = 0; i < s->n_made; i++)
		if (s->made[i] == arg)
			return s->origin[i];
	return NULL;
}

void
optsource_free(struct optsource *s)
{
	for (size_t i = 0; i < s->n_made; i++) {
		free(s->made[i]);
		free(s->origin[i]);
	}
	free(s->made);
	free(s->origin);
	free(s->argv);
	memset(s, 0, sizeof(*s));
}
