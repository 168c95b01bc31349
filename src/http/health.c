/*
 * GET /healthz: liveness (the process answers; nothing else is asked), and
 * the ceiling every benchmark is measured against.  GET /readyz:
 * readiness, 200 only while the database answers within its deadline (a
 * load balancer's check: send traffic here?), 503 otherwise.  GET /metrics:
 * the counters of common/metrics.c in Prometheus's text format.
 */
#include <stdio.h>

#include "../common/metrics.h"
#include "routes.h"

void
http_health(struct request *req)
{
	req_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void
http_ready(struct request *req)
{
	char why[200], message[256];

	if (idp_ready(req_idp(req), why, sizeof(why)) == IDP_OK) {
		req_reply_json(req, 200, json_pack("{s:s}", "status", "ready"));
		return;
	}
	snprintf(message, sizeof(message), "not ready: %s", why);
	req_reply_message(req, 503, message);
}

void
http_metrics(struct request *req)
{
	size_t len;
	char *text = metrics_render(&len);

	req_reply_owned(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
