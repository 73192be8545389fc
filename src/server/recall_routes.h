// The recall routes (issue 6 "Interfaces", "Recalls"). Each handler parses, calls one
// trace/recall.h service and renders it with the renderings the CLI shares:
//   GET  /recalls                     every recall (recalls_json)
//   POST /recalls                     a definition (recall_json's fields: gtin, lots,
//                                     serials, serialRanges, expiryFrom, expiryTo, query,
//                                     reason, severity, instructions): stored and run ->
//                                     201 {"recall", "run"}, Location /recalls/{id}
//   GET  /recalls/{recallID}          the affected items with containers, custodians and
//                                     customer references, and progress: JSON, CSV
//                                     (Accept: text/csv or format=csv) or the marking events
//                                     as an EPCIS document (application/ld+json, format=epcis)
//   POST /recalls/{recallID}/run      find new affected items and mark them (idempotent)
// Who sees what (access.h): the manufacturer that owns the recall's GTIN (its company
// prefix; or every listed serial's), admin and auditors see the whole report; any other
// caller sees its own items only (trace::custodian_view) and not the EPCIS document (403).
// A manufacturer creates and runs recalls of its own products only (403).
#pragma once

#include "server/router.h"
#include "store/recalls.h"
#include "store/store.h"
#include "store/warranty_records.h"

namespace serialtrack::server {

// What the routes read and write; all must outlive the routes.
struct RecallServices {
  store::Store& events;
  store::Recalls& recalls;
  store::WarrantyRecords& warranty;
};

// Adds the routes to router.
void add_recall_routes(Router& router, const RecallServices& services);

}  // namespace serialtrack::server
