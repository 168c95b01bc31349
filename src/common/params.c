/* Parameter set with limits; see params.h. */
#include "params.h"

#include <stdlib.h>
#include <string.h>

#include "str.h"
#include "xmalloc.h"

void
params_init(struct params *ps)
{
	ps->n = 0;
	ps->bad_name[0] = '\0';
}

void
params_free(struct params *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->items[i].name);
		xfree_secret(ps->items[i].value, ps->items[i].value_len);
	}
	ps->n = 0;
}

static void
set_bad_name(struct params *ps, const char *name, size_t len)
{
	if (len > TW_MAX_PARAM_NAME)
		len = TW_MAX_PARAM_NAME;
	memcpy(ps->bad_name, name, len);
	ps->bad_name[len] = '\0';
}

enum params_err
params_add(struct params *ps, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	struct param *p;

	if (memchr(name, '\0', name_len) != NULL || memchr(value, '\0', value_len) != NULL)
		return PARAMS_NUL_BYTE;
	if (!str_utf8_valid(name, name_len) || !str_utf8_valid(value, value_len))
		return PARAMS_BAD_UTF8;
	if (name_len > TW_MAX_PARAM_NAME) {
		set_bad_name(ps, name, name_len);
		return PARAMS_NAME_TOO_LONG;
	}
	if (value_len > TW_MAX_PARAM_VALUE) {
		set_bad_name(ps, name, name_len);
		return PARAMS_VALUE_TOO_LONG;
	}
	for (size_t i = 0; i < ps->n; i++) {
		p = &ps->items[i];
		if (strlen(p->name) != name_len || memcmp(p->name, name, name_len) != 0)
			continue;
		if (p->value_len == value_len && memcmp(p->value, value, value_len) == 0)
			return PARAMS_OK;
		set_bad_name(ps, name, name_len);
		return PARAMS_CONFLICT;
	}
	if (ps->n == TW_MAX_PARAMS)
		return PARAMS_TOO_MANY;
	p = &ps->items[ps->n++];
	p->name = xmemdup0(name, name_len);
	p->value = xmemdup0(value, value_len);
	p->value_len = value_len;
	return PARAMS_OK;
}

const char *
params_get(const struct params *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->items[i].name, name) == 0)
			return ps->items[i].value;
	return NULL;
}

const char *
params_strerror(enum params_err err)
{
	static const char *msgs[PARAMS__MAX] = {
		[PARAMS_OK] = "ok",
		[PARAMS_TOO_MANY] = "too many parameters (at most " TW_STR(TW_MAX_PARAMS) ")",
		[PARAMS_NAME_TOO_LONG] = "parameter name too long (at most "
		    TW_STR(TW_MAX_PARAM_NAME) " bytes)",
		[PARAMS_VALUE_TOO_LONG] = "parameter value too long (at most "
		    TW_STR(TW_MAX_PARAM_VALUE) " bytes)",
		[PARAMS_CONFLICT] = "parameter given twice with different values",
		[PARAMS_BAD_ENCODING] = "malformed percent-encoding in parameters",
		[PARAMS_NUL_BYTE] = "parameters may not contain NUL bytes",
		[PARAMS_BAD_UTF8] = "parameters must be UTF-8 text",
		[PARAMS_BAD_MULTIPART] = "malformed multipart/form-data body",
	};

	if (err < 0 || err >= PARAMS__MAX)
		return "bad parameters";
	return msgs[err];
}
