/*
 * Unit tests of the client's tokstore.c: the token store's atomic 0600
 * file under XDG_CONFIG_HOME.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/client/cfgdir.h"
#include "../../src/client/tokstore.h"
#include "t.h"

static void
test_tokstore_files(void)
{
	char dir[4096], err[256], path[4200];
	struct tokstore ts;
	struct tok_record r = { 0 }, got;
	struct oauth_tokens t = { .access_token = "at", .refresh_token = "rt",
	    .scopes = "chat:read", .expires_in = 100 };
	struct stat st;
	char several[128];

	setenv("XDG_CONFIG_HOME", t_tmpdir(), 1);
	CHECK(cfgdir_path(dir, sizeof(dir), err, sizeof(err)) == 0);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_len(&ts) == 0);
	r.issuer = "https://i";
	r.client_id = "cid";
	r.login = "alice";
	r.user_id = "1";
	r.access_token = r.refresh_token = r.scopes = NULL;
	tok_record_set_tokens(&r, &t, 1000);
	tokstore_put(&ts, &r);
	r.login = "bob";
	tokstore_put(&ts, &r);
	r.login = "alice";
	tokstore_put(&ts, &r);		/* replaces, does not add */
	CHECK(tokstore_len(&ts) == 2);
	CHECK(tokstore_save(&ts, err, sizeof(err)) == 0);
	tokstore_close(&ts);
	snprintf(path, sizeof(path), "%s/%s", dir, TOK_FILE);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_find(&ts, "https://i", "cid", NULL, &got, several,
	    sizeof(several)) == TOK_SEVERAL);
	CHECK(strstr(several, "alice") && strstr(several, "bob"));
	CHECK(tokstore_find(&ts, "https://i", "cid", "bob", &got, NULL, 0) == TOK_FOUND);
	CHECK_STR(got.refresh_token, "rt");
	CHECK_STR(got.scopes, "chat:read");
	CHECK(got.expires_at == 1100);
	tok_record_clear(&got);
	CHECK(tokstore_find(&ts, "https://i", "cid", "", &got, NULL, 0) == TOK_NONE);
	CHECK(tokstore_find(&ts, "https://other", "cid", "bob", &got, NULL, 0) == TOK_NONE);
	tokstore_remove(&ts, "https://i", "cid", "bob");
	CHECK(tokstore_find(&ts, "https://i", "cid", "bob", &got, NULL, 0) == TOK_NONE);
	tokstore_remove(&ts, "https://i", "cid", "bob");	/* none left: a no-op */
	CHECK(tokstore_len(&ts) == 1);
	tokstore_close(&ts);	/* not saved: bob is still on disk */
	CHECK(tokstore_open(&ts, err, sizeof(err)) == 0);
	CHECK(tokstore_len(&ts) == 2);
	tokstore_close(&ts);
	free(r.access_token);
	free(r.refresh_token);
	free(r.scopes);

	/* A damaged file is reported without quoting it, and not overwritten. */
	FILE *f = fopen(path, "w");
	fputs("{\"access_token\":\"secret0token\" oops", f);
	fclose(f);
	CHECK(tokstore_open(&ts, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a JSON object") != NULL);
	CHECK(strstr(err, "secret0token") == NULL);	/* never quoted */
	unsetenv("XDG_CONFIG_HOME");
}

void
suite_tokstore(void)
{
	RUN(test_tokstore_files);
}
