/*
 * twauth user: the accounts that sign in at /oauth2/authorize.  Works on the
 * database directly, like `twauth app`.  Passwords are read from stdin only
 * (never from the command line, where `ps` and shell history would see
 * them) and only their argon2id hash is stored.
 */
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

struct user_opts {
	const char		*db;
	struct idp_user_new	 nu;
	int			 password_stdin;
	int			 json;
	int			 help;
};

enum user_sub { USER_CREATE, USER_LIST, USER_SHOW, USER_PASSWD, USER_DISCONNECT, USER_DELETE };

static int user_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

#define USER(how, f)	OPT_AS_##how(struct user_opts, f)
#define CREATE		.only = OPT_ONLY("create")

static const struct opt user_options[] = {
	{ "login", USER(STR, nu.login), .arg = "LOGIN", CREATE,
	    .help = "the name the user signs in with" },
	{ "display-name", USER(STR, nu.display_name), .arg = "NAME", CREATE,
	    .unset = "the login as typed", .help = "the name apps show" },
	{ "email", USER(STR, nu.email), .arg = "EMAIL", CREATE, .unset = "none",
	    .help = "their email address, which apps see with user:read:email" },
	{ "email-verified", USER(ON, nu.email_verified), CREATE,
	    .help = "say the email address is verified" },
	{ "profile-image-url", USER(STR, nu.profile_image_url), .arg = "URL", CREATE,
	    .unset = "none", .help = "their picture: an http:// or https:// URL" },
	{ "password-stdin", USER(ON, password_stdin), .only = OPT_ONLY("create", "passwd"),
	    .help = "read the password from stdin (one line; " TW_STR(TW_PASSWORD_MIN) " to "
	    TW_STR(TW_PASSWORD_MAX) " bytes); on a terminal it is asked for without echo" },
	{ "json", USER(ON, json), .help = "machine-readable output" },
	CLI_ROW_DB(struct user_opts, db),
	CLI_ROW_HELP(struct user_opts, help),
	{ .name = NULL }
};

const struct cli_cmd user_cmd = {
	.name = "user",
	/* What they take is checked before the password is read. */
	.subs = (const struct cli_sub[]){
		[USER_CREATE] = { "create", 0, "no arguments" },
		[USER_LIST] = { "list", 0, "no arguments" },
		[USER_SHOW] = { "show", 1, "one LOGIN" },
		[USER_PASSWD] = { "passwd", 1, "one LOGIN" },
		[USER_DISCONNECT] = { "disconnect", 2, "LOGIN CLIENT_ID" },
		[USER_DELETE] = { "delete", 1, "one LOGIN" },
		{ NULL }
	},
	.rows = user_options,
	.size = sizeof(struct user_opts),
	.run = user_run,
	.head = "Usage: twauth user <subcommand> [options]\n"
	    "\n"
	    "Create the users who sign in to apps through this server.\n"
	    "\n"
	    "Subcommands:\n"
	    "  create --login LOGIN --password-stdin [--display-name NAME] [--email EMAIL]\n"
	    "         [--email-verified] [--profile-image-url URL]\n"
	    "                              creates a user; prints its user id\n"
	    "  list                        every user\n"
	    "  show LOGIN                  one user\n"
	    "  passwd LOGIN --password-stdin\n"
	    "                              sets a new password; every token, app grant\n"
	    "                              and browser session of the user ends now\n"
	    "  disconnect LOGIN CLIENT_ID  ends every token between the user and the app,\n"
	    "                              as the Disconnect button on /settings/connections\n"
	    "  delete LOGIN                deletes the user and everything they authorized\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "Logins follow Twitch's rules: " TW_STR(TW_LOGIN_MIN) " to " TW_STR(TW_LOGIN_MAX)
	    " letters, digits or underscores, and\n"
	    "are unique regardless of case (stored in lowercase; the display name keeps\n"
	    "the case you typed).  Bad input exits with status 2 and changes nothing.\n"
	    "\n"
	    "Examples:\n"
	    "  echo 'correct horse battery' | twauth user create --login Alice --password-stdin\n"
	    "  twauth user create --login bob --email bob@example.com --email-verified \\\n"
	    "         --password-stdin < bob.pass --json\n"
	    "  twauth user disconnect alice abcdefghijklmnopqrstuvwxyz0123\n",
};

/*
 * Reads one line from stdin into buf (TW_PASSWORD_MAX + 2 bytes), without
 * echo on a terminal.  Returns its length without the line end, or -1 when
 * it is longer than the limit.
 */
static long
read_password(char *buf, size_t size)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fputs("Password: ", stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)size, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len == size - 1)
		return -1;	/* no line end within the limit: too long */
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return (long)len;
}

static json_t *
user_json(const struct store_user *u)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:I}", "user_id", id,
	    "login", u->login, "display_name", u->display_name, "email", u->email,
	    "email_verified", u->email_verified, "profile_image_url", u->profile_image_url,
	    "created_at", (json_int_t)u->created_at);
}

static void
print_user(const struct store_user *u)
{
	char when[32];

	cli_format_time(u->created_at, when, sizeof(when));
	printf("login:         %s\n", u->login);
	printf("user id:       %lld\n", (long long)u->id);
	printf("display name:  %s\n", u->display_name);
	printf("email:         %s%s\n", u->email[0] ? u->email : "(none)",
	    u->email[0] ? (u->email_verified ? " (verified)" : " (not verified)") : "");
	if (u->profile_image_url[0])
		printf("picture:       %s\n", u->profile_image_url);
	printf("created:       %s\n", when);
}

static int
user_list(struct store *st, const struct user_opts *o)
{
	struct store_user *users;
	size_t n;

	if (store_user_list(st, &users, &n) != STORE_OK)
		return cli_idp_error(IDP_ERR_UNAVAILABLE);
	if (o->json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, user_json(&users[i]));
		cli_print_json(arr);
	} else if (n == 0)
		printf("No users yet.  Create one:\n"
		    "  twauth user create --login alice --password-stdin\n");
	else {
		printf("%-12s  %-25s  %s\n", "USER ID", "LOGIN", "EMAIL");
		for (size_t i = 0; i < n; i++)
			printf("%-12lld  %-25s  %s\n", (long long)users[i].id, users[i].login,
			    users[i].email);
	}
	store_user_list_free(users, n);
	return EXIT_OK;
}

/* Checks the command's shape before anything is read or opened. */
static int
check_shape(const struct cli_sub *s, enum user_sub sub, const struct user_opts *o,
    const struct cli_args *a)
{
	const char *name = s->name;

	if (a->n != s->n_args) {
		cli_error("user %s takes %s", name, s->args);
		return -1;
	}
	if (sub == USER_CREATE && o->nu.login == NULL) {
		cli_error("user create needs --login LOGIN");
		return -1;
	}
	if ((sub == USER_CREATE || sub == USER_PASSWD) && !o->password_stdin) {
		cli_error("user %s needs --password-stdin (passwords are never "
		    "taken as arguments)", name);
		return -1;
	}
	return 0;
}

/* Prints the user, or why not: the exit status. */
static int
user_show(struct idp *idp, const char *login, int json)
{
	struct store_user u;
	enum idp_err err;

	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return cli_idp_error(err);
	if (json)
		cli_print_json(user_json(&u));
	else
		print_user(&u);
	store_user_clear(&u);
	return EXIT_OK;
}

static int
user_create(struct idp *idp, const struct user_opts *o)
{
	struct store_user u;
	enum idp_err err;

	if ((err = idp_user_create(idp, &o->nu, &u)) != IDP_OK)
		return cli_idp_error(err);
	if (o->json)
		cli_print_json(user_json(&u));
	else
		printf("Created user %s with user id %lld.\n", u.login, (long long)u.id);
	store_user_clear(&u);
	return EXIT_OK;
}

static int
user_disconnect(struct idp *idp, const char *login, const char *client_id)
{
	struct store_user u;
	enum idp_err err;

	if ((err = idp_user_get(idp, login, &u)) != IDP_OK)
		return cli_idp_error(err);
	if ((err = idp_user_disconnect(idp, u.id, client_id)) == IDP_OK)
		printf("Disconnected %s from app %s; their tokens no longer validate.\n",
		    u.login, client_id);
	store_user_clear(&u);
	return err == IDP_OK ? EXIT_OK : cli_idp_error(err);
}

static int
run(enum user_sub sub, const struct user_opts *o, const struct cli_args *a,
    struct store *st, struct idp *idp)
{
	enum idp_err err;

	switch (sub) {
	case USER_CREATE:
		return user_create(idp, o);
	case USER_LIST:
		return user_list(st, o);
	case USER_SHOW:
		return user_show(idp, a->v[0], o->json);
	case USER_PASSWD:
		err = idp_user_passwd(idp, a->v[0], o->nu.password, o->nu.password_len);
		if (err != IDP_OK)
			return cli_idp_error(err);
		printf("Password changed.  Every token, app grant and sign-in of %s has "
		    "ended.\n", a->v[0]);
		return EXIT_OK;
	case USER_DISCONNECT:
		return user_disconnect(idp, a->v[0], a->v[1]);
	case USER_DELETE:
		if ((err = idp_user_delete(idp, a->v[0])) != IDP_OK)
			return cli_idp_error(err);
		printf("Deleted user %s and everything they authorized.\n", a->v[0]);
		return EXIT_OK;
	}
	return EXIT_FAIL;
}

static int
user_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	char password[TW_PASSWORD_MAX + 2];
	struct user_opts *o = opts;
	struct store *st = NULL;
	struct idp *idp = NULL;
	long len;
	int rc;

	if (check_shape(&c->subs[a->sub], (enum user_sub)a->sub, o, a) == -1)
		return cli_usage_hint("user");
	if (o->password_stdin) {
		if ((len = read_password(password, sizeof(password))) < 0) {
			rc = cli_idp_error(IDP_ERR_BAD_PASSWORD);
			goto out;
		}
		o->nu.password = password;
		o->nu.password_len = (size_t)len;
	}
	if (cli_open(cli_db_path(o->db), NULL, 0, &st, &idp) == -1)
		rc = EXIT_FAIL;
	else
		rc = run((enum user_sub)a->sub, o, a, st, idp);
	cli_close(st, idp);
out:
	OPENSSL_cleanse(password, sizeof(password));
	o->nu.password = NULL;
	return rc;
}
