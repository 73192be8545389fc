// The alert routes (issue 7 "Alerts"): the alerts detection raised (trace/detection.h)
// as a workflow over HTTP. Each handler parses, calls one trace/detection_alerts.h
// service, and renders alert_json:
//   GET  /alerts                   filters kind, state, severity, since (RFC 3339), one
//                                  item (epc=, or gtin=&serial=, dl=, scan=, id=) or a
//                                  client (client=); perPage and nextPageToken with
//                                  Link rel="next" as /events; {"alerts": [...]}, oldest
//                                  first
//   GET  /alerts/{alertID}         one alert with its evidence (eventIDs, verifications)
//   POST /alerts/{alertID}/state   {"state": "investigating"|"closed", "reason": "..."}:
//                                  new -> investigating -> closed (or new -> closed); a
//                                  closing needs a reason, a move the workflow does not
//                                  allow is 400 ValidationException and changes nothing
// A manufacturer sees and moves only the alerts naming an identifier of its own company
// prefix (auth.h owned_key_prefixes); any other alert is answered as absent (404), as an
// event it may not see is.
#pragma once

#include <cstddef>

#include "server/router.h"
#include "store/alert_book.h"

namespace serialtrack::server {

// Adds the routes to router; book must outlive them. default_page / max_page: perPage
// when none is given, and the largest allowed.
void add_alert_routes(Router& router, store::AlertBook& book, size_t default_page, size_t max_page);

}  // namespace serialtrack::server
