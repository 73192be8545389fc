// The warranty routes (issue 6 "Interfaces"): terms per GTIN or family, registration,
// transfer of ownership, the status of any identifier, claims with their fraud-check
// findings, and service history. Each handler parses, calls one trace/warranty.h service
// and renders it with trace/warranty_json.h (the CLI's --json words):
//   GET  /warranty/terms                 every stored terms record
//   POST /warranty/terms                 {product, duration_days?, start?, requires_sale?,
//                                        coverage?, claim_limit?, plans?} -> 201
//   GET  /warranty/terms/{gtin}          the terms that apply to a GTIN (longest family)
//   POST /warranty/registrations         {item, owner, plan?} -> 201 the registration
//   POST /warranty/transfers             {item, owner} -> the registration, new owner
//   GET  /warranty/items/{item}          coverage, registration, terms, claims
//   POST /claims                         {item, description} -> 201 (a claim the checks
//                                        reject is recorded too: state rejected, flags)
//   GET  /claims?item=…                  the claims on an item
//   GET  /claims/{claimID}
//   POST /claims/{claimID}/{decision}    approve {resolution?, replacement?, party?,
//                                        location?} | reject | close {resolution?}
//   POST /service                        {item, kind, parts_removed?, parts_installed?,
//                                        firmware_version?, note?, location?} -> 201
//                                        {"eventIDs": [...]}
//   GET  /service/{item}                 the item's service events, oldest first
// Refusals (not genuine, void, not sold, no terms, registered already...) are 409.
#pragma once

#include "server/router.h"
#include "store/store.h"
#include "store/warranty_records.h"

namespace serialtrack::server {

// What the routes read and write; both must outlive the routes.
struct WarrantyServices {
  store::Store& events;
  store::WarrantyRecords& records;
};

// Adds the routes to router.
void add_warranty_routes(Router& router, const WarrantyServices& services);

}  // namespace serialtrack::server
