/* The idp handle and its configuration; see idp.h. */
#include "idp.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "audit.h"
#include "idp_impl.h"

void
idp_config_defaults(struct idp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->app_token_ttl = TW_APP_TOKEN_TTL;
	cfg->user_token_ttl = TW_USER_TOKEN_TTL;
	cfg->code_ttl = TW_CODE_TTL;
	cfg->session_ttl = TW_SESSION_TTL;
	cfg->device_code_ttl = TW_DEVICE_CODE_TTL;
	cfg->id_token_ttl = TW_ID_TOKEN_TTL;
	cfg->login_failures = TW_LOGIN_FREE_FAILURES;
	cfg->address_failures = TW_IP_FREE_FAILURES;
	cfg->client_failures = TW_CLIENT_FREE_FAILURES;
	cfg->activate_failures = TW_ACTIVATE_IP_FREE_FAILURES;
	cfg->throttle_slots = TW_THROTTLE_SLOTS;
}

struct idp *
idp_new(struct store *store, const struct idp_config *cfg)
{
	struct idp *idp = xcalloc(1, sizeof(*idp));

	idp->store = store;
	idp->cfg = *cfg;
	idp->login_throttle = throttle_new(cfg->throttle_slots, cfg->login_failures,
	    TW_THROTTLE_MAX_DELAY);
	idp->addr_throttle = throttle_new(cfg->throttle_slots, cfg->address_failures,
	    TW_THROTTLE_MAX_DELAY);
	idp->client_throttle = throttle_new(cfg->throttle_slots, cfg->client_failures,
	    TW_THROTTLE_MAX_DELAY);
	idp->client_addr_throttle = throttle_new(cfg->throttle_slots, cfg->address_failures,
	    TW_THROTTLE_MAX_DELAY);
	idp->activate_throttle = throttle_new(cfg->throttle_slots, cfg->activate_failures,
	    TW_THROTTLE_MAX_DELAY);
	pthread_mutex_init(&idp->key_lock, NULL);
	idp_page_key_init(idp);
	if (cfg->audit && (idp->audit = audit_new(store)) == NULL)
		log_warn("audit: no thread to write the record; recording is off");
	if (cfg->chaos_token_errors > 0)
		idp->chaos_gate = idp_chaos_gate_new();
	return idp;
}

void
idp_free(struct idp *idp)
{
	if (idp == NULL)
		return;
	audit_free(idp->audit);
	idp_chaos_gate_free(idp->chaos_gate);
	throttle_free(idp->login_throttle);
	throttle_free(idp->addr_throttle);
	throttle_free(idp->client_throttle);
	throttle_free(idp->client_addr_throttle);
	throttle_free(idp->activate_throttle);
	pthread_mutex_destroy(&idp->key_lock);
	EVP_PKEY_free(idp->key);
	OPENSSL_cleanse(&idp->cfg, sizeof(idp->cfg));
	free(idp);
}

enum idp_err
idp_from_store(enum store_rc rc, enum idp_err not_found)
{
	switch (rc) {
	case STORE_OK:
		return IDP_OK;
	case STORE_NOTFOUND:
		return not_found;
	default:
		return IDP_ERR_UNAVAILABLE;
	}
}

void
idp_wait_stored(void *arg, enum store_rc rc)
{
	struct idp_wait *w = arg;
	void (*resume)(void *) = w->resume;
	void *resume_arg = w->arg;

	/* After resume, w belongs to the caller's finish. */
	w->rc = rc;
	resume(resume_arg);
}

void
idp_note(struct idp *idp, const struct audit_fact *f)
{
	audit_note(idp->audit, f);
}

struct audit *
idp_audit(struct idp *idp)
{
	return idp->audit;
}
