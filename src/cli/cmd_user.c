/*
 * twauth user: the accounts that sign in at /oauth2/authorize.  Works on the
 * database directly, like `twauth app`.  Passwords are read from stdin only
 * (never from the command line, where `ps` and shell history would see
 * them) and only their argon2id hash is stored.
 */
#include <getopt.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static void
usage(FILE *f)
{
	fputs("Usage: twauth user <subcommand> [options]\n"
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
	    "Options:\n"
	    "  --password-stdin  read the password from stdin (one line; "
	    TW_STR(TW_PASSWORD_MIN) " to " TW_STR(TW_PASSWORD_MAX) " bytes);\n"
	    "                    on a terminal it is asked for without echo\n"
	    "  --json            machine-readable output\n"
	    "  --db PATH         database: a file, or a postgres:// URI (default $TWAUTH_DB,\n"
	    "                    else " CLI_DEFAULT_DB ")\n"
	    "  -h, --help        this help\n"
	    "\n"
	    "Logins follow Twitch's rules: " TW_STR(TW_LOGIN_MIN) " to " TW_STR(TW_LOGIN_MAX)
	    " letters, digits or underscores, and\n"
	    "are unique regardless of case (stored in lowercase; the display name keeps\n"
	    "the case you typed).  Bad input exits with status 2 and changes nothing.\n"
	    "\n"
	    "Examples:\n"
	    "  echo 'correct horse battery' | twauth user create --login Alice --password-stdin\n"
	    "  twauth user create --login bob --email bob@example.com --email-verified \\\n"
	    "         --password-stdin < bob.pass --json\n"
	    "  twauth user disconnect alice abcdefghijklmnopqrstuvwxyz0123\n", f);
}

struct user_opts {
	const char	 *db;
	struct idp_user_new nu;
	int		  password_stdin;
	int		  json;
	char		**args;
	int		  n_args;
};

static int
parse_opts(int argc, char **argv, const char *sub, struct user_opts *o)
{
	enum { O_DB = 256, O_LOGIN, O_DISPLAY, O_EMAIL, O_VERIFIED, O_PICTURE, O_PWSTDIN,
	    O_JSON };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "login", required_argument, NULL, O_LOGIN },
		{ "display-name", required_argument, NULL, O_DISPLAY },
		{ "email", required_argument, NULL, O_EMAIL },
		{ "email-verified", no_argument, NULL, O_VERIFIED },
		{ "profile-image-url", required_argument, NULL, O_PICTURE },
		{ "password-stdin", no_argument, NULL, O_PWSTDIN },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, create = strcmp(sub, "create") == 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_DB:
			o->db = optarg;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case 'h':
			return 1;
		case O_PWSTDIN:
			if (!create && strcmp(sub, "passwd") != 0) {
				cli_error("--password-stdin is for 'user create' and 'user passwd'");
				return -1;
			}
			o->password_stdin = 1;
			break;
		case O_LOGIN:
		case O_DISPLAY:
		case O_EMAIL:
		case O_VERIFIED:
		case O_PICTURE:
			if (!create) {
				cli_error("%s is only for 'twauth user create'", argv[optind - 1]);
				return -1;
			}
			if (c == O_LOGIN)
				o->nu.login = optarg;
			else if (c == O_DISPLAY)
				o->nu.display_name = optarg;
			else if (c == O_EMAIL)
				o->nu.email = optarg;
			else if (c == O_VERIFIED)
				o->nu.email_verified = 1;
			else
				o->nu.profile_image_url = optarg;
			break;
		default:
			return -1;
		}
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	return 0;
}

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
check_shape(const char *sub, const struct user_opts *o)
{
	int want = strcmp(sub, "create") == 0 || strcmp(sub, "list") == 0 ? 0 :
	    strcmp(sub, "disconnect") == 0 ? 2 : 1;

	if (o->n_args != want) {
		cli_error("user %s takes %s", sub, want == 0 ? "no arguments" :
		    want == 1 ? "one LOGIN" : "LOGIN CLIENT_ID");
		return -1;
	}
	if (strcmp(sub, "create") == 0 && o->nu.login == NULL) {
		cli_error("user create needs --login LOGIN");
		return -1;
	}
	if ((strcmp(sub, "create") == 0 || strcmp(sub, "passwd") == 0) && !o->password_stdin) {
		cli_error("user %s needs --password-stdin (passwords are never "
		    "taken as arguments)", sub);
		return -1;
	}
	return 0;
}

static int
run(const char *sub, struct user_opts *o, struct store *st, struct idp *idp)
{
	struct store_user u;
	enum idp_err err;

	memset(&u, 0, sizeof(u));
	if (strcmp(sub, "create") == 0) {
		if ((err = idp_user_create(idp, &o->nu, &u)) != IDP_OK)
			return cli_idp_error(err);
		if (o->json)
			cli_print_json(user_json(&u));
		else
			printf("Created user %s with user id %lld.\n", u.login, (long long)u.id);
	} else if (strcmp(sub, "list") == 0)
		return user_list(st, o);
	else if (strcmp(sub, "show") == 0) {
		if ((err = idp_user_get(idp, o->args[0], &u)) != IDP_OK)
			return cli_idp_error(err);
		if (o->json)
			cli_print_json(user_json(&u));
		else
			print_user(&u);
	} else if (strcmp(sub, "passwd") == 0) {
		err = idp_user_passwd(idp, o->args[0], o->nu.password, o->nu.password_len);
		if (err != IDP_OK)
			return cli_idp_error(err);
		printf("Password changed.  Every token, app grant and sign-in of %s has "
		    "ended.\n", o->args[0]);
	} else if (strcmp(sub, "disconnect") == 0) {
		if ((err = idp_user_get(idp, o->args[0], &u)) != IDP_OK)
			return cli_idp_error(err);
		if ((err = idp_user_disconnect(idp, u.id, o->args[1])) != IDP_OK) {
			store_user_clear(&u);
			return cli_idp_error(err);
		}
		printf("Disconnected %s from app %s; their tokens no longer validate.\n",
		    u.login, o->args[1]);
	} else if (strcmp(sub, "delete") == 0) {
		if ((err = idp_user_delete(idp, o->args[0])) != IDP_OK)
			return cli_idp_error(err);
		printf("Deleted user %s and everything they authorized.\n", o->args[0]);
	}
	store_user_clear(&u);
	return EXIT_OK;
}

int
cmd_user(int argc, char **argv)
{
	static const char *const subs[] = {
		"create", "list", "show", "passwd", "disconnect", "delete"
	};
	char password[TW_PASSWORD_MAX + 2];
	struct user_opts o;
	struct store *st = NULL;
	struct idp *idp = NULL;
	const char *sub;
	size_t i;
	long len;
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	sub = argv[1];
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(sub, subs[i]) == 0)
			break;
	if (i == sizeof(subs) / sizeof(subs[0])) {
		cli_error("unknown user subcommand '%s'", sub);
		return cli_usage_hint("user");
	}
	rc = parse_opts(argc - 1, argv + 1, sub, &o);
	if (rc == 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (rc == -1 || check_shape(sub, &o) == -1)
		return cli_usage_hint("user");
	if (o.password_stdin) {
		if ((len = read_password(password, sizeof(password))) < 0) {
			OPENSSL_cleanse(password, sizeof(password));
			return cli_idp_error(IDP_ERR_BAD_PASSWORD);
		}
		o.nu.password = password;
		o.nu.password_len = (size_t)len;
	}
	if (cli_open(cli_db_path(o.db), NULL, 0, &st, &idp) == -1)
		rc = EXIT_FAIL;
	else
		rc = run(sub, &o, st, idp);
	cli_close(st, idp);
	OPENSSL_cleanse(password, sizeof(password));
	return rc;
}
