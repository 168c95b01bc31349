/* The idp handle and its configuration; see idp.h. */
#include "idp.h"

#include <stdlib.h>

#include "../common/xmalloc.h"
#include "idp_impl.h"

void
idp_config_defaults(struct idp_config *cfg)
{
	cfg->app_token_ttl = TW_APP_TOKEN_TTL;
}

struct idp *
idp_new(struct store *store, const struct idp_config *cfg)
{
	struct idp *idp = xcalloc(1, sizeof(*idp));

	idp->store = store;
	idp->cfg = *cfg;
	return idp;
}

void
idp_free(struct idp *idp)
{
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
