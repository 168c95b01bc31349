/*
 * twauth api: one Helix call with the stored token (src/client/api.h),
 * the answer pretty-printed.  twauth exec: runs a command with the token
 * and client id in its environment.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
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
	    "once more.  The token: --login's, --app's, else the only stored user\n"
	    "token, else the app token.\n"
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
	int ret = CLIENT_EXIT_ERROR, known = 0;

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
	call = (struct api_call){ method, a->v[1], o->query.v, o->query.n, body.data, body.len };
	p = client_pick(&o->co, PICK_AUTO, FRESH_AUTO);
	if (api_call(&call, o->co.api_base, &p, retrying, NULL, &reply, &e) == -1) {
		ret = client_report(&e);
		goto out;
	}
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
	    "token never appears on a command line.  The token: --login's, --app's,\n"
	    "else the only stored user token, else the app token.\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    CLIENT_ROWS_NOTE
	    "\n"
	    "Exit status: COMMAND's; 127 if it cannot be run; 1 or 2 as 'twauth token'\n"
	    "when no token could be had.\n"
	    "\n"
	    "Example:\n"
	    "  twauth exec --login mybot -- node bot.js\n",
};

static int
exec_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	struct exec_opts *o = opts;
	struct tok_record rec = { 0 };
	int ret;

	(void)c;
	if (a->n == 0) {
		cli_error("give the command to run after --");
		return cli_usage_hint("exec");
	}
	if ((ret = client_opts_resolve(&o->co)) != 0 ||
	    (ret = client_stored_token(&o->co, PICK_AUTO, FRESH_AUTO, &rec)) != 0)
		goto out;
	if (setenv("TWITCH_TOKEN", rec.access_token, 1) == -1 ||
	    setenv("TWITCH_CLIENT_ID", rec.client_id, 1) == -1) {
		cli_error("setenv: %s", strerror(errno));
		ret = CLIENT_EXIT_ERROR;
	} else {
		fflush(NULL);
		execvp(a->v[0], a->v);
		cli_error("cannot run '%s': %s", a->v[0], strerror(errno));
		ret = 127;
	}
out:
	tok_record_clear(&rec);
	client_opts_free(&o->co);
	return ret;
}
