/*
 * The table each backend fills in.  store.c picks a backend from the spec
 * and forwards every call; nothing outside src/store/ sees this header.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include "store.h"

struct store_ops {
	const char *name;
	void *(*open)(const char *spec, char *err, size_t err_len);
	void (*close)(void *impl);
	int (*schema_version)(void *impl);
	enum store_rc (*app_insert)(void *, const struct store_app *);
	enum store_rc (*app_get)(void *, const char *, struct store_app *);
	enum store_rc (*app_list)(void *, struct store_app **, size_t *);
	enum store_rc (*app_set_secret)(void *, const char *, const uint8_t *);
	enum store_rc (*app_redirect_add)(void *, const char *, const char *);
	enum store_rc (*app_redirect_remove)(void *, const char *, const char *);
	enum store_rc (*app_delete)(void *, const char *);
	enum store_rc (*token_insert)(void *, const struct store_token *, const uint8_t *);
	/* Optional: without it, token_insert runs and done is called at once. */
	void (*token_insert_queued)(void *, const struct store_token *, const uint8_t *,
	    store_done_fn, void *);
	void (*stats)(void *, struct store_stats *);		/* optional */
	enum store_rc (*token_get)(void *, const uint8_t *, struct store_token *);
	enum store_rc (*token_revoke)(void *, const uint8_t *, const char *);
	enum store_rc (*user_insert)(void *, struct store_user *);
	enum store_rc (*user_get_by_login)(void *, const char *, struct store_user *);
	enum store_rc (*user_get)(void *, int64_t, struct store_user *);
	enum store_rc (*user_list)(void *, struct store_user **, size_t *);
	enum store_rc (*user_delete)(void *, int64_t);
	enum store_rc (*user_set_password)(void *, int64_t, const char *, int64_t);
	enum store_rc (*session_insert)(void *, const uint8_t *, int64_t, int64_t, int64_t);
	enum store_rc (*session_get)(void *, const uint8_t *, int64_t, struct store_user *);
	enum store_rc (*session_delete)(void *, const uint8_t *);
	enum store_rc (*consent_get)(void *, int64_t, const char *, const char *);
	enum store_rc (*consent_put)(void *, int64_t, const char *, const char *, int64_t);
	enum store_rc (*grant_issue)(void *, struct store_grant *, const struct store_issue *);
	enum store_rc (*connections_list)(void *, int64_t, struct store_connection **,
	    size_t *);
	enum store_rc (*grants_delete)(void *, int64_t, const char *);
	enum store_rc (*code_insert)(void *, const struct store_code *);
	enum store_rc (*code_redeem)(void *, const uint8_t *, const char *, const char *,
	    const struct store_issue *, struct store_code *);
	enum store_rc (*refresh_use)(void *, const uint8_t *, const char *,
	    const struct store_issue *, struct store_grant *);
	enum store_rc (*app_set_scope_string)(void *, const char *, int);
	enum store_rc (*key_add)(void *, const struct store_key *, int);
	enum store_rc (*key_list)(void *, struct store_key **, size_t *);
	enum store_rc (*device_insert)(void *, const struct store_device *);
	enum store_rc (*device_find)(void *, const uint8_t *, int64_t, struct store_device *);
	enum store_rc (*device_decide)(void *, const uint8_t *, int64_t, int, int64_t);
	enum store_rc (*device_poll)(void *, const uint8_t *, const char *,
	    const struct store_issue *, struct store_poll_result *);
};

extern const struct store_ops store_sqlite_ops;

/* Shared helpers for backends: redirect URIs are stored newline-separated. */
char *store_join_uris(char *const *uris, size_t n);
void store_split_uris(const char *joined, char ***uris, size_t *n);

#endif
