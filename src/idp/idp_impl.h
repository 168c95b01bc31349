/* Internals shared by the files of src/idp/. */
#ifndef IDP_IMPL_H
#define IDP_IMPL_H

#include "idp.h"

struct idp {
	struct store		*store;
	struct idp_config	 cfg;
};

/* Maps a store result: NOTFOUND becomes not_found, failures UNAVAILABLE. */
enum idp_err idp_from_store(enum store_rc rc, enum idp_err not_found);
/* True if s is absent or empty (Twitch treats "client_id=" as missing). */
static inline int
idp_blank(const char *s)
{
	return s == 0 || s[0] == '\0';
}

#endif
