/*
 * What an endpoint handler sees of a request, and how it answers.  Handlers
 * run once the whole request (headers and body) has arrived and passed the
 * transport limits; they must answer exactly once with one of the req_reply_*
 * functions.  Nothing here exposes libmicrohttpd.
 */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <jansson.h>

#include "../common/str.h"
#include "../idp/idp.h"

struct request;

/* The value of a request parameter (query + body), or NULL. */
const char *req_param(struct request *req, const char *name);
/* A header's value, or a view with p == NULL when absent. */
struct str req_header(struct request *req, const char *name);
struct idp *req_idp(struct request *req);

/* Answers with body as JSON; steals the reference to body. */
void req_reply_json(struct request *req, unsigned status, json_t *body);
/* Answers {"status":N,"message":"..."} for err, from the error table. */
void req_reply_error(struct request *req, enum idp_err err);
/* Answers {"status":N,"message":message} (transport-level errors). */
void req_reply_message(struct request *req, unsigned status, const char *message);
/* Answers with no body (Content-Length: 0). */
void req_reply_empty(struct request *req, unsigned status);

#endif
