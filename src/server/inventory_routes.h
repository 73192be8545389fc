// The inventory and audit routes (issue 6 "Interfaces"). Each handler parses, calls one
// trace/inventory.h or trace/audit.h service and renders it with the JSON (and CSV) the
// CLI shares. Stock filters (query parameters): gtin, lot, location (with its
// sub-locations), custodian, disposition.
//   GET  /inventory                 stock now, or asOf=<RFC 3339> (replayed), grouped by
//                                   by=product,lot,location,custodian,disposition; JSON,
//                                   or CSV (Accept: text/csv or format=csv)
//   GET  /inventory/ageing          slow movers: days (no event in N days, default 90),
//                                   now=<RFC 3339>, limit
//   GET  /inventory/expiring        near expiry: days (default 30), today=YYYY-MM-DD, limit
//   GET  /inventory/minimums        every minimum with its stock (short=true: those below)
//   POST /inventory/minimums        {gtin, location?, minimum} (0 removes)
//   POST /audits                    a count: a scan list (text/plain, one identifier a line)
//                                   with location=, or an EPCIS document (JSON-LD / XML) of
//                                   one cycle_counting ObjectEvent; custodian= optional;
//                                   -> 201 the audit with its discrepancies
//   GET  /audits                    counts made, newest first (location= to narrow)
//   GET  /audits/schedules          every schedule with its due time (now=)
//   POST /audits/schedules          {location, everyDays} (0 removes)
//   GET  /audits/overdue            the schedules due (now=)
//   GET  /audits/{auditID}          one count
// A caller restricted to its party (every role but admin and auditor, access.h) sees its
// own stock only: the filter's custodian_party is its GLN. Minimums count every party's
// stock, so they are the operator's (permission monitor).
#pragma once

#include "server/router.h"
#include "store/audits.h"
#include "store/stock.h"
#include "store/store.h"

namespace serialtrack::server {

// What the routes read and write; all must outlive the routes.
struct InventoryServices {
  store::Store& events;
  store::StockCounts& stock;
  store::Audits& audits;
};

// Adds the routes to router.
void add_inventory_routes(Router& router, const InventoryServices& services);

}  // namespace serialtrack::server
