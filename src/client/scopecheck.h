/*
 * Scopes checked against Twitch's catalog (src/common/scopes.c) before any
 * request leaves, so a typo costs no browser round trip: each unknown name
 * is reported with the closest known one ("chat:raed": did you mean
 * "chat:read"?), and a list longer than TW_MAX_SCOPES is refused.
 */
#ifndef CLIENT_SCOPECHECK_H
#define CLIENT_SCOPECHECK_H

#include "../common/compiler.h"
#include "cerr.h"

/* scopes is space-separated.  0, or -1 with a line per problem in err. */
int scopecheck(const char *scopes, struct cerr *err) MUST_CHECK;

#endif
