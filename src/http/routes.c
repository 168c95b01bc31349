/* The routing table; see routes.h. */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "../common/metrics.h"

static const struct route table[] = {
	{ "GET",  "/healthz",		ROUTE_OPS,	http_health },
	{ "GET",  "/readyz",		ROUTE_OPS,	http_ready },
	{ "GET",  "/metrics",		ROUTE_OPS | ROUTE_METRICS, http_metrics },
	{ "POST", "/oauth2/token",	ROUTE_PARAMS,	http_token },
	{ "GET",  "/oauth2/validate",	0,		http_validate },
	{ "POST", "/oauth2/revoke",	ROUTE_PARAMS,	http_revoke },
	{ "POST", "/oauth2/introspect",	ROUTE_PARAMS,	http_introspect },
	{ "GET",  "/oauth2/authorize",	ROUTE_PARAMS,	http_authorize },
	{ "POST", "/oauth2/authorize",	ROUTE_PARAMS,	http_authorize },
	{ "POST", "/oauth2/device",	ROUTE_PARAMS,	http_device },
	{ "GET",  "/activate",		ROUTE_PARAMS,	http_activate },
	{ "POST", "/activate",		ROUTE_PARAMS,	http_activate },
	{ "GET",  "/oauth2/.well-known/openid-configuration", 0, http_discovery },
	{ "GET",  "/.well-known/openid-configuration", 0, http_discovery },
	{ "GET",  "/oauth2/keys",	0,		http_jwks },
	{ "GET",  "/oauth2/userinfo",	ROUTE_PARAMS,	http_userinfo },
	{ "POST", "/oauth2/userinfo",	ROUTE_PARAMS,	http_userinfo },
	{ "GET",  "/helix/users",	0,		http_helix_users },
	{ "GET",  "/helix/channels",	0,		http_helix_channels },
	{ "PATCH", "/helix/channels",	0,		http_helix_channels_patch },
	{ "GET",  "/login",		ROUTE_PARAMS,	http_login },
	{ "POST", "/login",		ROUTE_PARAMS,	http_login },
	{ "POST", "/logout",		ROUTE_PARAMS,	http_logout },
	{ "GET",  "/settings/connections", ROUTE_PARAMS, http_connections },
	{ "POST", "/settings/connections", ROUTE_PARAMS, http_connections },
	{ "GET",  "/console",		ROUTE_PARAMS,	http_console },
	{ "POST", "/console",		ROUTE_PARAMS,	http_console },
	{ "GET",  "/console/new",	ROUTE_PARAMS,	http_console_new },
	{ "POST", "/console/new",	ROUTE_PARAMS,	http_console_new },
	{ "GET",  "/console/app",	ROUTE_PARAMS,	http_console_app },
	{ "POST", "/console/app",	ROUTE_PARAMS,	http_console_app },
	{ "GET",  "/console/app/rules",	ROUTE_PARAMS,	http_console_rules },
	{ "POST", "/console/app/rules",	ROUTE_PARAMS,	http_console_rules },	/* sign-in */
	{ "GET",  "/assets/twauth.css",	0,		http_assets_css },
	/*
	 * twitch mock-api's layout, which twurple (TWURPLE_MOCK_API_PORT) and
	 * pyTwitchAPI's mock mode call: the same endpoints under other paths,
	 * and its made-up user_token grant.
	 */
	{ "POST", "/auth/authorize",	ROUTE_PARAMS | ROUTE_MOCK, http_mock_authorize },
	{ "POST", "/auth/token",	ROUTE_PARAMS | ROUTE_MOCK, http_token },
	{ "GET",  "/auth/validate",	ROUTE_MOCK,	http_validate },
	{ "POST", "/auth/revoke",	ROUTE_PARAMS | ROUTE_MOCK, http_revoke },
	{ "POST", "/auth/device",	ROUTE_PARAMS | ROUTE_MOCK, http_device },
	{ "GET",  "/mock/users",	ROUTE_MOCK,	http_helix_users },
	{ "GET",  "/mock/channels",	ROUTE_MOCK,	http_helix_channels },
};
#define N_ROUTES (sizeof(table) / sizeof(table[0]))

static int
passes(const struct route_filter *f, const struct route *r)
{
	return (r->flags & f->want) == f->want && (r->flags & f->hide) == 0;
}

const struct route *
routes_find(const struct route_filter *f, const char *method, const char *path,
    int *path_known)
{
	/* HEAD is GET without a body; libmicrohttpd drops the body. */
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;

	*path_known = 0;
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (strcmp(table[i].path, path) != 0 || !passes(f, &table[i]))
			continue;
		if (strcmp(table[i].method, m) == 0)
			return &table[i];
		*path_known = 1;
	}
	return NULL;
}

const char *
routes_allow(const struct route_filter *f, const char *path)
{
	static _Thread_local char allow[64];
	size_t n = 0;

	allow[0] = '\0';
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (strcmp(table[i].path, path) != 0 || !passes(f, &table[i]))
			continue;
		n += (size_t)snprintf(allow + n, sizeof(allow) - n, "%s%s",
		    n ? ", " : "", strcmp(table[i].method, "GET") == 0 ? "GET, HEAD" :
		    table[i].method);
		if (n >= sizeof(allow))
			break;
	}
	return allow;
}

int
routes_index(const struct route *r)
{
	return r != NULL ? (int)(r - table) : -1;
}

void
routes_for_metrics(void)
{
	static const char *paths[N_ROUTES];

	for (size_t i = 0; i < N_ROUTES; i++)
		paths[i] = table[i].path;
	metrics_routes(paths, N_ROUTES);
}
