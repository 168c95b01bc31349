/*
 * twauth api: one Helix call with the stored token (refreshed on a 401,
 * once), the answer pretty-printed.  twauth exec: runs a command with the
 * token and client id in its environment.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../client/fetch.h"
#include "../common/buf.h"
#include "../common/form.h"
#include "../common/limits.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "client.h"

static void
api_usage(FILE *f)
{
	fputs("Usage: twauth api get|post|put|patch|delete PATH [-q NAME=VALUE ...]\n"
	    "                  [-b JSON | -b @FILE] [options]\n"
	    "\n"
	    "Calls the Helix API (<api base>/helix/PATH) with the stored token and its\n"
	    "client id, as Twitch wants (Authorization: Bearer, Client-Id), and prints\n"
	    "the answer indented.  On a 401 the token is refreshed and the call made\n"
	    "once more.  The token: --login's, --app's, else the only stored user\n"
	    "token, else the app token.\n"
	    "\n"
	    "Options:\n"
	    "  -q NAME=VALUE         a query parameter (repeatable, as Helix allows:\n"
	    "                        -q login=a -q login=b); VALUE is encoded for you\n"
	    "  -b JSON | @FILE       a JSON request body, or one read from FILE\n"
	    "  --api-base URL        default $TWAUTH_API_BASE, the profile's, else\n"
	    "                        https://api.twitch.tv for Twitch and the issuer\n"
	    "                        itself for any other (twauth serve answers Helix)\n"
	    CLIENT_OPTIONS_HELP
	    "  -h, --help            this help\n"
	    "\n"
	    "Exit status: 0 a 2xx answer; 1 any other answer (printed); 2 usage or\n"
	    "network error.\n"
	    "\n"
	    "Examples:\n"
	    "  twauth api get users -q login=twitchdev        # a channel's user id\n"
	    "  twauth api get users                           # the token's own user\n"
	    "  twauth api get channels -q broadcaster_id=141981764\n", f);
}

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

/* <api base>/helix/PATH?q... with every query pair encoded. */
static int
api_url(const char *base, const char *path, char **query, size_t n_query, struct buf *url)
{
	buf_init(url, 16384);
	while (*path == '/')
		path++;
	if (strncmp(path, "helix/", 6) == 0)
		path += 6;
	if (path[0] == '\0' || strpbrk(path, "?# ") != NULL) {
		cli_error("PATH is a Helix resource such as 'users' or 'channels'; give "
		    "query parameters with -q");
		return -1;
	}
	if (buf_printf(url, "%s/helix/%s", base, path) == -1)
		return -1;
	for (size_t i = 0; i < n_query; i++) {
		char *eq = strchr(query[i], '=');

		if (eq == NULL || eq == query[i]) {
			cli_error("-q takes NAME=VALUE, not '%s'", query[i]);
			return -1;
		}
		*eq = '\0';
		if (buf_add(url, i ? "&" : "?", 1) == -1 || form_encode(url, query[i]) == -1 ||
		    buf_add(url, "=", 1) == -1 || form_encode(url, eq + 1) == -1) {
			cli_error("query too long");
			return -1;
		}
		*eq = '=';
	}
	return 0;
}

static int
call_once(const char *method, const char *url, const struct tok_record *rec,
    const struct buf *body, struct fetch_reply *reply)
{
	struct fetch_call call = { 0 };
	char auth[TW_CLIENT_MAX_TOKEN + 16], err[512];
	int rc;

	snprintf(auth, sizeof(auth), "Bearer %s", rec->access_token);
	call.method = method;
	call.url = url;
	call.authorization = auth;
	call.client_id = rec->client_id;
	if (body->data != NULL) {
		call.body = body->data;
		call.body_len = body->len;
		call.content_type = "application/json";
	}
	rc = fetch(&call, reply, err, sizeof(err));
	explicit_bzero(auth, sizeof(auth));
	if (rc == -1)
		cli_error("%s", err);
	return rc;
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

int
cmd_api(int argc, char **argv)
{
	static const struct option opts[] = {
		CLIENT_LONG_OPTIONS,
		{ "query", required_argument, NULL, 'q' },
		{ "body", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *methods[] = { "get", "post", "put", "patch", "delete" };
	char *query[TW_CLIENT_API_MAX_QUERY], method[8];
	struct client_opts o = { 0 };
	struct tok_record rec = { 0 };
	struct fetch_reply reply = { 0 };
	struct buf body = { 0 }, url = { 0 };
	size_t n_query = 0;
	int c, ret, known = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hq:b:", opts, NULL)) != -1) {
		if (client_opts_take(&o, c, optarg))
			continue;
		switch (c) {
		case 'q':
			if (n_query == TW_CLIENT_API_MAX_QUERY) {
				cli_error("at most %d -q parameters", TW_CLIENT_API_MAX_QUERY);
				return cli_usage_hint("api");
			}
			query[n_query++] = optarg;
			break;
		case 'b':
			buf_free(&body);
			if (read_body(optarg, &body) == -1)
				return CLIENT_EXIT_ERROR;
			break;
		case 'h': api_usage(stdout); return EXIT_OK;
		default: return cli_usage_hint("api");
		}
	}
	if (argc - optind != 2) {
		cli_error("give a method and a path, as in 'twauth api get users'");
		buf_free(&body);
		return cli_usage_hint("api");
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		known |= strcasecmp(argv[optind], methods[i]) == 0;
	if (!known || strlen(argv[optind]) >= sizeof(method)) {
		cli_error("unknown method '%s': get, post, put, patch or delete", argv[optind]);
		buf_free(&body);
		return cli_usage_hint("api");
	}
	for (size_t i = 0; i <= strlen(argv[optind]); i++)
		method[i] = (char)toupper((unsigned char)argv[optind][i]);
	if ((ret = client_opts_resolve(&o)) != 0)
		goto out;
	if (api_url(o.api_base, argv[optind + 1], query, n_query, &url) == -1) {
		ret = CLIENT_EXIT_ERROR;
		goto out;
	}
	if ((ret = client_stored_token(&o, PICK_AUTO, FRESH_AUTO, &rec)) != 0)
		goto out;
	ret = CLIENT_EXIT_ERROR;
	if (call_once(method, url.data, &rec, &body, &reply) == -1)
		goto out;
	if (reply.status == 401) {
		/* Revoked or expired early: refresh once, then ask again. */
		fprintf(stderr, "twauth: the API answered 401; refreshing the token and "
		    "trying once more\n");
		fetch_reply_free(&reply);
		tok_record_clear(&rec);
		if ((ret = client_stored_token(&o, PICK_AUTO, FRESH_FORCE, &rec)) != 0)
			goto out;
		ret = CLIENT_EXIT_ERROR;
		if (call_once(method, url.data, &rec, &body, &reply) == -1)
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
	buf_free(&url);
	buf_free(&body);
	tok_record_clear(&rec);
	client_opts_free(&o);
	return ret;
}

static void
exec_usage(FILE *f)
{
	fputs("Usage: twauth exec [options] -- COMMAND [ARG ...]\n"
	    "\n"
	    "Runs COMMAND with TWITCH_TOKEN and TWITCH_CLIENT_ID set to the stored\n"
	    "token (kept fresh as 'twauth token --get' does) and its client id: the\n"
	    "token never appears on a command line.  The token: --login's, --app's,\n"
	    "else the only stored user token, else the app token.\n"
	    "\n"
	    "Options:\n"
	    CLIENT_OPTIONS_HELP
	    "  -h, --help            this help\n"
	    "\n"
	    "Exit status: COMMAND's; 127 if it cannot be run; 1 or 2 as 'twauth token'\n"
	    "when no token could be had.\n"
	    "\n"
	    "Example:\n"
	    "  twauth exec --login mybot -- node bot.js\n", f);
}

int
cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		CLIENT_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct client_opts o = { 0 };
	struct tok_record rec;
	int c, ret;

	optind = 1;
	/* "+": stop at the first non-option, so COMMAND's own flags stay its. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (client_opts_take(&o, c, optarg))
			continue;
		if (c == 'h') {
			exec_usage(stdout);
			return EXIT_OK;
		}
		return cli_usage_hint("exec");
	}
	if (optind >= argc) {
		cli_error("give the command to run after --");
		return cli_usage_hint("exec");
	}
	if ((ret = client_opts_resolve(&o)) != 0)
		return ret;
	if ((ret = client_stored_token(&o, PICK_AUTO, FRESH_AUTO, &rec)) != 0) {
		client_opts_free(&o);
		return ret;
	}
	if (setenv("TWITCH_TOKEN", rec.access_token, 1) == -1 ||
	    setenv("TWITCH_CLIENT_ID", rec.client_id, 1) == -1) {
		cli_error("setenv: %s", strerror(errno));
		ret = CLIENT_EXIT_ERROR;
	} else {
		fflush(NULL);
		execvp(argv[optind], argv + optind);
		cli_error("cannot run '%s': %s", argv[optind], strerror(errno));
		ret = 127;
	}
	tok_record_clear(&rec);
	client_opts_free(&o);
	return ret;
}
