// The operator's routes: GET /health (liveness and the store's event count), GET
// /metrics (Prometheus text) and GET /openapi.json (an OpenAPI 3.0 document generated
// from the router's own table, so that it lists exactly the routes served, each with
// OPTIONS, its path parameters and the problem+json error answer).
#pragma once

#include <string>

#include "server/metrics.h"
#include "server/router.h"
#include "store/alert_book.h"
#include "store/store.h"

namespace serialtrack::server {

// The OpenAPI 3.0 document of every route in router (and OPTIONS on every path).
std::string openapi_document(const Router& router);

// Adds /health, /metrics and /openapi.json. router, metrics and store must outlive it;
// so must alerts (may be null: /metrics without the alert families).
void add_service_routes(Router& router, Metrics& metrics, store::Store& store,
                        store::AlertBook* alerts = nullptr);

}  // namespace serialtrack::server
