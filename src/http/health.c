/*
 * GET /healthz: liveness, and the ceiling every benchmark is measured
 * against.  GET /metrics: the counters of common/metrics.c in Prometheus's
 * text format.
 */
#include "../common/metrics.h"
#include "routes.h"

void
http_health(struct request *req)
{
	req_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void
http_metrics(struct request *req)
{
	size_t len;
	char *text = metrics_render(&len);

	req_reply_owned(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
