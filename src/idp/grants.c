/*
 * POST /oauth2/token without the HTTP: picks the grant a request names,
 * runs it between the client failure limits (client_auth.c), counts what
 * it issued, and makes sure a failed grant hands out nothing.  Each grant
 * is a file of its own: grant_client_credentials.c, grant_code.c,
 * grant_refresh.c, device.c (the device code grant) and grant_mock.c.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "../common/metrics.h"
#include "idp_impl.h"

void
idp_token_response_clear(struct idp_token_response *resp)
{
	free(resp->scopes);
	free(resp->id_token);
	OPENSSL_cleanse(resp, sizeof(*resp));
}

/* Every grant of idp_token, within the limits. */
static enum idp_err
token_grant(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	enum idp_err err;

	if (idp_blank(req->client_id))
		return IDP_ERR_MISSING_CLIENT_ID;
	if (idp_blank(req->grant_type))
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (strcmp(req->grant_type, "client_credentials") == 0)
		err = idp_grant_client_credentials(idp, req, resp);
	else if (strcmp(req->grant_type, "authorization_code") == 0)
		err = idp_grant_code(idp, req, resp);
	else if (strcmp(req->grant_type, "refresh_token") == 0)
		err = idp_grant_refresh(idp, req, resp);
	else if (strcmp(req->grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
		err = idp_device_token(idp, req, resp);
	else
		return IDP_ERR_INVALID_GRANT_TYPE;
	if (err == IDP_OK)
		metrics_token(metrics_grant_of(req->grant_type));
	if (err != IDP_OK) {
		/* Tokens minted for a failed store call never leave; the detail does. */
		OPENSSL_cleanse(resp->access_token, sizeof(resp->access_token));
		OPENSSL_cleanse(resp->refresh_token, sizeof(resp->refresh_token));
		free(resp->scopes);
		resp->scopes = NULL;
		free(resp->id_token);
		resp->id_token = NULL;
		resp->user_token = 0;
	}
	return err;
}

enum idp_err
idp_token(struct idp *idp, const struct idp_token_request *req,
    struct idp_token_response *resp)
{
	enum idp_err err;

	memset(resp, 0, sizeof(*resp));
	if ((err = idp_client_limit_before(idp, req->client_addr, resp)) != IDP_OK)
		return err;
	err = token_grant(idp, req, resp);
	return idp_client_limit_after(idp, req->client_id, req->client_addr, err, resp);
}
