/* GET /healthz: liveness, and the ceiling every benchmark is measured against. */
#include "routes.h"

void
http_health(struct request *req)
{
	req_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}
