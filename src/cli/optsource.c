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

static const struct option *
find(const struct option *opts, const char *name, const char *const *skip)
{
	for (; opts->name != NULL; opts++)
		if (strcmp(opts->name, name) == 0)
			return listed(name, skip) ? NULL : opts;
	return NULL;
}

/* Adds one setting; -1 (with the reason printed) if it is not one. */
static int
setting(struct optsource *s, size_t *cap, const struct option *o, const char *value,
    const char *const *repeat, const char *origin)
{
	char *copy, *p, *word;
	int t;

	if (o->has_arg == no_argument) {
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
	if (!listed(o->name, repeat) || origin[0] != '$') {
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
file_line(struct optsource *s, size_t *cap, char *line, const struct option *opts,
    const char *const *skip, const char *const *repeat, const char *origin)
{
	const struct option *o;
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
	if ((o = find(opts, name, skip)) == NULL) {
		cli_error("%s: unknown setting '%s' (settings are the long options of "
		    "--help, without the dashes)", origin, name);
		return -1;
	}
	return setting(s, cap, o, value, repeat, origin);
}

static int
read_file(struct optsource *s, size_t *cap, const char *path, const struct option *opts,
    const char *const *skip, const char *const *repeat)
{
	char line[OPTSOURCE_MAX_LINE + 2], origin[600];
	struct stat sb;
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
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);

		snprintf(origin, sizeof(origin), "%s line %d", path, ++n);
		if (len > OPTSOURCE_MAX_LINE || (len > 0 && line[len - 1] != '\n' && !feof(f))) {
			cli_error("%s: longer than %d bytes", origin, OPTSOURCE_MAX_LINE);
			rc = -1;
		} else if (memchr(line, '\0', len) != NULL || strlen(line) != len) {
			cli_error("%s: not text", origin);
			rc = -1;
		} else
			rc = file_line(s, cap, line, opts, skip, repeat, origin);
	}
	if (rc == 0 && ferror(f)) {
		cli_error("cannot read the config file %s", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static int
read_env(struct optsource *s, size_t *cap, const struct option *opts, const char *prefix,
    const char *const *skip, const char *const *repeat)
{
	char name[128], origin[130];
	const char *v;

	for (; opts->name != NULL; opts++) {
		size_t n = (size_t)snprintf(name, sizeof(name), "%s", prefix);

		if (listed(opts->name, skip))
			continue;
		for (const char *p = opts->name; *p != '\0' && n + 1 < sizeof(name); p++)
			name[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
		name[n] = '\0';
		if ((v = getenv(name)) == NULL || *v == '\0')
			continue;
		snprintf(origin, sizeof(origin), "$%s", name);
		if (setting(s, cap, opts, v, repeat, origin) == -1)
			return -1;
	}
	return 0;
}

/* --config FILE from the command line (before any "--"), else $PREFIXCONFIG. */
static const char *
config_path(int argc, char **argv, const char *prefix)
{
	const char *found = NULL;
	char name[128];

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			found = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			found = argv[i] + 9;
	}
	if (found != NULL)
		return found;
	snprintf(name, sizeof(name), "%sCONFIG", prefix);
	found = getenv(name);
	return found != NULL && *found != '\0' ? found : NULL;
}

int
optsource_build(int argc, char **argv, const struct option *opts, const char *env_prefix,
    const char *const *skip, const char *const *repeat, struct optsource *out)
{
	const char *path = config_path(argc, argv, env_prefix);
	size_t cap = 0, k = 0;

	memset(out, 0, sizeof(*out));
	if ((path != NULL && read_file(out, &cap, path, opts, skip, repeat) == -1) ||
	    read_env(out, &cap, opts, env_prefix, skip, repeat) == -1) {
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
