/* twauth keys: list and rotate the OpenID Connect signing keys. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum keys_sub { KEYS_LIST, KEYS_ROTATE };

static int keys_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

const struct cli_cmd keys_cmd = {
	.name = "keys",
	.subs = (const struct cli_sub[]){ [KEYS_LIST] = { "list", 0, NULL },
	    [KEYS_ROTATE] = { "rotate", 0, NULL }, { NULL } },
	.rows = cli_db_options,
	.size = sizeof(struct cli_db_opts),
	.run = keys_run,
	.head = "Usage: twauth keys list|rotate [--json] [--db PATH]\n"
	    "\n"
	    "The RSA keys that sign OpenID Connect id_tokens (RS256).  Their public\n"
	    "halves are served at /oauth2/keys (the JWKS); the private halves are kept\n"
	    "in the database sealed with the secret file ($TWAUTH_SECRET_FILE, default\n"
	    "the database path plus '.secret').\n"
	    "\n"
	    "Subcommands:\n"
	    "  list      every key: signing, published (retired, still in the JWKS until\n"
	    "            the id_tokens it signed have expired) or expired\n"
	    "  rotate    makes a new signing key now; running servers use it for the\n"
	    "            next id_token, and keep publishing the old one until its\n"
	    "            tokens have expired, so relying parties never see a gap\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "Examples:\n"
	    "  twauth keys list\n"
	    "  twauth keys rotate --json\n",
};

static const char *
state_name(enum idp_key_state s)
{
	return s == KEY_SIGNING ? "signing" : s == KEY_PUBLISHED ? "published" : "expired";
}

static int
keys_list(struct idp *idp, int json)
{
	struct idp_key_info *keys;
	size_t n;
	char made[32], retired[32];
	enum idp_err err;

	if ((err = idp_keys_list(idp, 0, &keys, &n)) != IDP_OK)
		return cli_idp_error(err);
	if (json) {
		json_t *arr = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:o}",
			    "kid", keys[i].kid, "state", state_name(keys[i].state),
			    "created_at", (json_int_t)keys[i].created_at, "retired_at",
			    keys[i].retired_at ? json_integer(keys[i].retired_at) : json_null()));
		cli_print_json(arr);
	} else if (n == 0)
		printf("No signing keys yet: 'twauth serve' makes the first one.\n");
	else {
		printf("%-16s  %-9s  %-20s  %s\n", "KID", "STATE", "CREATED", "RETIRED");
		for (size_t i = 0; i < n; i++) {
			cli_format_time(keys[i].created_at, made, sizeof(made));
			if (keys[i].retired_at)
				cli_format_time(keys[i].retired_at, retired, sizeof(retired));
			printf("%-16s  %-9s  %-20s  %s\n", keys[i].kid, state_name(keys[i].state),
			    made, keys[i].retired_at ? retired : "-");
		}
	}
	idp_key_info_free(keys, n);
	return EXIT_OK;
}

static int
keys_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	const struct cli_db_opts *o = opts;
	struct store *st;
	struct idp *idp;
	char kid[TW_KID_LEN + 1];
	int rc = EXIT_OK;
	enum idp_err err;

	(void)c;
	/* Listing needs only public halves; a rotation seals a new key. */
	if (cli_open(cli_db_path(o->db), NULL, a->sub == KEYS_ROTATE, &st, &idp) == -1)
		return EXIT_FAIL;
	if (a->sub == KEYS_LIST)
		rc = keys_list(idp, o->json);
	else if ((err = idp_keys_rotate(idp, kid)) != IDP_OK)
		rc = cli_idp_error(err);
	else if (o->json)
		cli_print_json(json_pack("{s:s}", "kid", kid));
	else
		printf("New signing key %s.  The previous one stays published until the "
		    "id_tokens it signed have expired.\n", kid);
	cli_close(st, idp);
	return rc;
}
