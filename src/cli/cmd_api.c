/*
 * twauth api: one Helix call with the stored token (src/client/api.h),
 * the answer pretty-printed.  twauth exec: runs a command with the token
 * and client id in its environment.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../client/api.h"
#include "../common/buf.h"
#include "../common/limits.h"
#include "cli.h"
#include "client.h"

struct api_opts {
	struct client_opts	 co;
	struct opt_list		 query;		/* -q, the arguments themselves */
	const char		*body;		/* -b */
	int			 paginate;	/* -P */
	int			 verbose;	/* -v */
	int			 help;
};

static int api_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);
static int exec_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

static const struct opt api_options[] = {
	{ "query", OPT_AS_ARGS(struct api_opts, query), .short_name = 'q', .arg = "NAME=VALUE",
	    .max = TW_CLIENT_API_MAX_QUERY, .items = "parameters",
	    .help = "a query parameter, as often as Helix allows (-q login=a -q login=b); "
	    "VALUE is encoded for you" },
	{ "body", OPT_AS_STR(struct api_opts, body), .short_name = 'b', .arg = "JSON|@FILE",
	    .help = "a JSON request body, or one read from FILE" },
	{ "paginate", OPT_AS_ON(struct api_opts, paginate), .short_name = 'P',
	    .help = "follow Helix's pagination cursor (after=) to the last page, at most "
	    TW_STR(TW_CLIENT_API_MAX_PAGES) " pages, and print every page's data as one "
	    "answer" },
	{ "verbose", OPT_AS_ON(struct api_opts, verbose), .short_name = 'v',
	    .help = "show each request's and answer's headers on stderr (> sent, < "
	    "received); the Authorization header reads [redacted]" },
	CLIENT_ROWS(struct api_opts, co),
	CLI_ROW_HELP(struct api_opts, help),
	{ .name = NULL }
};

const struct cli_cmd api_cmd = {
	.name = "api",
	.rows = api_options,
	.size = sizeof(struct api_opts),
	.run = api_run,
	.head = "Usage: twauth api get|post|put|patch|delete PATH [-q NAME=VALUE ...]\n"
	    "                  [-b JSON | -b @FILE] [options]\n"
	    "\n"
	    "Calls the Helix API (<api base>/helix/PATH) with the stored token and its\n"
	    "client id, as Twitch wants (Authorization: Bearer, Client-Id), and prints\n"
	    "the answer indented.  On a 401 the token is refreshed and the call made\n"
	    "once more.\n"
	    "\n"
	    CLIENT_WHICH_TOKEN
	    "Calls that take an app token, as Twitch's API reference says: get users\n"
	    "with -q id= or -q login=, channels, streams, games, search, videos,\n"
	    "clips, schedule, teams, chat badges, emotes and color, cheermotes,\n"
	    "eventsub subscriptions.  Others get the only user token, else the app's.\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    CLIENT_ROWS_NOTE
	    "\n"
	    "Exit status: 0 a 2xx answer; 1 any other answer (printed); 2 usage or\n"
	    "network error.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth api get users -q login=twitchdev        # a channel's user id\n"
	    "  twauth api get users                           # the token's own user\n"
	    "  twauth api get channels -q broadcaster_id=141981764\n",
};

/* The request body: the text of -b, or the file -b @FILE names. */
static int
read_body(const char *arg, struct buf *out)
{
	char chunk[8192];
	ssize_t n;
	int fd;

	buf_init(out, TW_CLIENT_API_MAX_BODY);
	if (arg[0] != '@')
		return buf_add_cstr(out, arg) == -1 ? (cli_error("-b: body over %d bytes",
		    TW_CLIENT_API_MAX_BODY), -1) : 0;
	if ((fd = open(arg + 1, O_RDONLY | O_CLOEXEC)) == -1) {
		cli_error("%s: %s", arg + 1, strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_add(out, chunk, (size_t)n) == -1) {
			cli_error("%s: larger than %d bytes", arg + 1, TW_CLIENT_API_MAX_BODY);
			close(fd);
			return -1;
		}
	close(fd);
	return n < 0 ? -1 : 0;
}

static void
retrying(void *ctx)
{
	(void)ctx;
	fprintf(stderr, "twauth: the API answered 401; refreshing the token and trying once "
	    "more\n");
}

/* -v: a header line, sent or received, on stderr as curl -v shows it. */
static void
trace(void *ctx, char direction, const char *line, size_t len)
{
	(void)ctx;
	fprintf(stderr, "%c %.*s\n", direction, (int)len, line);
}

static void
print_answer(const struct fetch_reply *reply)
{
	json_t *j = json_loadb(reply->body.data ? reply->body.data : "", reply->body.len, 0,
	    NULL);

	if (j != NULL)
		cli_print_json(j);
	else if (reply->body.len > 0)
		fwrite(reply->body.data, 1, reply->body.len, stdout);
}

static int
api_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	static const char *methods[] = { "get", "post", "put", "patch", "delete" };
	struct api_opts *o = opts;
	struct fetch_reply reply = { 0 };
	struct buf body = { 0 };
	struct api_call call;
	struct pick p;
	struct cerr e;
	char method[8];
	size_t pages = 0;
	int ret = CLIENT_EXIT_ERROR, known = 0, more = 0;

	(void)c;
	if (o->body != NULL && read_body(o->body, &body) == -1)
		goto out;
	if (a->n != 2) {
		cli_error("give a method and a path, as in 'twauth api get users'");
		ret = cli_usage_hint("api");
		goto out;
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		known |= strcasecmp(a->v[0], methods[i]) == 0;
	if (!known || strlen(a->v[0]) >= sizeof(method)) {
		cli_error("unknown method '%s': get, post, put, patch or delete", a->v[0]);
		ret = cli_usage_hint("api");
		goto out;
	}
	for (size_t i = 0; i <= strlen(a->v[0]); i++)
		method[i] = (char)toupper((unsigned char)a->v[0][i]);
	if ((ret = client_opts_resolve(&o->co)) != 0)
		goto out;
	call = (struct api_call){ method, a->v[1], o->query.v, o->query.n, body.data, body.len,
	    o->verbose ? trace : NULL, NULL };
	p = client_pick(&o->co, api_takes_app_token(&call) ? PICK_APP_FIRST : PICK_AUTO,
	    FRESH_AUTO);
	if ((o->paginate ? api_call_pages(&call, o->co.api_base, &p, retrying, NULL, &reply,
	    &pages, &more, &e) : api_call(&call, o->co.api_base, &p, retrying, NULL, &reply,
	    &e)) == -1) {
		ret = client_report(&e);
		goto out;
	}
	if (more)
		cli_error("stopped after %zu pages (the most -P follows); the answer has more: "
		    "narrow the query", pages);
	print_answer(&reply);
	if (reply.status >= 200 && reply.status <= 299)
		ret = EXIT_OK;
	else {
		cli_error("the API answered HTTP %ld", reply.status);
		ret = CLIENT_EXIT_REFUSED;
	}
out:
	fetch_reply_free(&reply);
	buf_free(&body);
	client_opts_free(&o->co);
	return ret;
}

#define TOKEN_COMMAND_MAX	(PATH_MAX + 4096)	/* TWAUTH_TOKEN_COMMAND, bytes */

struct exec_opts {
	struct client_opts	 co;
	int			 help;
};

static const struct opt exec_options[] = {
	CLIENT_ROWS(struct exec_opts, co),
	CLI_ROW_HELP(struct exec_opts, help),
	{ .name = NULL }
};

/* Its options end at COMMAND, so COMMAND's own flags stay its. */
const struct cli_cmd exec_cmd = {
	.name = "exec",
	.rows = exec_options,
	.how = OPT_FIRST_ARG,
	.size = sizeof(struct exec_opts),
	.run = exec_run,
	.head = "Usage: twauth exec [options] -- COMMAND [ARG ...]\n"
	    "\n"
	    "Runs COMMAND with TWITCH_TOKEN and TWITCH_CLIENT_ID set to the stored\n"
	    "token (kept fresh as 'twauth token --get' does) and its client id: the\n"
	    "token never appears on a command line.  A user token lasts about 4 hours;\n"
	    "a program that runs longer runs TWAUTH_TOKEN_COMMAND (a shell command\n"
	    "line) for the current token of the same account, refreshed as needed:\n"
	    "it prints only the token.  Run it when the API answers 401, or hourly.\n"
	    "\n"
	    CLIENT_WHICH_TOKEN
	    "COMMAND is taken to act as a user: the only user token, else the app's.\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    CLIENT_ROWS_NOTE
	    "\n"
	    "Exit status: COMMAND's; 127 if it cannot be run; 1 or 2 as 'twauth token'\n"
	    "when no token could be had.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth exec --login mybot -- node bot.js\n"
	    "  # in bot.js, when a call answers 401:\n"
	    "  #   const { execSync } = require('node:child_process');\n"
	    "  #   token = execSync(process.env.TWAUTH_TOKEN_COMMAND).toString().trim();\n"
	    "  # in Python:\n"
	    "  #   token = subprocess.check_output(os.environ['TWAUTH_TOKEN_COMMAND'],\n"
	    "  #                                   shell=True, text=True).strip()\n",
};

/* Adds ' ' and arg, quoted for sh, to b.  -1 when b is full. */
static int
add_quoted(struct buf *b, const char *arg)
{
	if (buf_add_cstr(b, " '") == -1)
		return -1;
	for (const char *p = arg; *p != '\0'; p++)
		if ((*p == '\'' ? buf_add_cstr(b, "'\\''") : buf_add(b, p, 1)) == -1)
			return -1;
	return buf_add(b, "'", 1);
}

/*
 * The shell command that prints a fresh token of rec's account, for a
 * child that outlives its TWITCH_TOKEN (malloc'd; NULL when too long or
 * twauth's own path is unknown).  It names the issuer, app and account
 * outright, and never the secret: the child finds that where this command
 * did (the environment or the profile).
 */
static char *
token_command(const struct client_opts *o, const struct tok_record *rec)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct buf b;

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	buf_init(&b, TOKEN_COMMAND_MAX);
	if (add_quoted(&b, self) == -1 || buf_add_cstr(&b, " token --get") == -1 ||
	    (o->given.name != NULL && (buf_add_cstr(&b, " --profile") == -1 ||
	    add_quoted(&b, o->given.name) == -1)) ||
	    buf_add_cstr(&b, " --issuer") == -1 || add_quoted(&b, rec->issuer) == -1 ||
	    buf_add_cstr(&b, " --client-id") == -1 || add_quoted(&b, rec->client_id) == -1 ||
	    (rec->login[0] != '\0' ? buf_add_cstr(&b, " --login") == -1 ||
	    add_quoted(&b, rec->login) == -1 : buf_add_cstr(&b, " --app") == -1)) {
		buf_free(&b);
		return NULL;
	}
	/* Without the leading space add_quoted put before the path. */
	memmove(b.data, b.data + 1, b.len);
	return b.data;
}

static int
exec_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	struct exec_opts *o = opts;
	struct tok_record rec = { 0 };
	char *command = NULL;
	int ret;

	(void)c;
	if (a->n == 0) {
		cli_error("give the command to run after --");
		return cli_usage_hint("exec");
	}
	if ((ret = client_opts_resolve(&o->co)) != 0 ||
	    (ret = client_stored_token(&o->co, PICK_AUTO, FRESH_AUTO, &rec)) != 0)
		goto out;
	if ((command = token_command(&o->co, &rec)) == NULL) {
		cli_error("cannot make TWAUTH_TOKEN_COMMAND (twauth's own path is unknown)");
		ret = CLIENT_EXIT_ERROR;
	} else if (setenv("TWITCH_TOKEN", rec.access_token, 1) == -1 ||
	    setenv("TWITCH_CLIENT_ID", rec.client_id, 1) == -1 ||
	    setenv("TWAUTH_TOKEN_COMMAND", command, 1) == -1) {
		cli_error("setenv: %s", strerror(errno));
		ret = CLIENT_EXIT_ERROR;
	} else {
		fflush(NULL);
		execvp(a->v[0], a->v);
		cli_error("cannot run '%s': %s", a->v[0], strerror(errno));
		ret = 127;
	}
out:
	free(command);
	tok_record_clear(&rec);
	client_opts_free(&o->co);
	return ret;
}
