// The serial number routes (issue 5, over issue 4's number ranges: store/serial_ranges.h),
// the HTTP face of `serialtrack serials ...`:
//   GET|POST /serials/formats                       named serial formats
//   GET|PUT  /serials/gtins/{gtin}                   a GTIN's format and market (eu-fmd)
//   POST     /serials/allocations                    allocate count serials (idempotent by
//                                                    requestID: a retry answers the same ones)
//   GET      /serials/allocations[?gtin=]            allocations with issued / commissioned /
//                                                    returned counts
//   POST     /serials/ranges/{rangeID}/returns       record serials as returned unused
//   GET      /serials/guess-probability?format=&count=   EU FMD guess probability
// All ask for Permission::kAllocateSerials (access.cc); a manufacturer only for GTINs of
// its own GS1 Company Prefix (auth.h within_own_prefix, as for captures: 403 naming the
// GTIN). A bad request is a 4xx problem+json and changes nothing; an allocation beyond
// SerialLimits::allocation is 413 naming the limit.
#pragma once

#include <cstddef>

#include "server/router.h"
#include "store/serial_ranges.h"
#include "store/store.h"

namespace serialtrack::server {

struct SerialLimits {
  size_t allocation = 100'000;  // serials per allocation (and per return)
};

// What the routes read and write; all must outlive the routes. events counts what was
// commissioned of each allocation.
struct SerialServices {
  store::SerialRanges& ranges;
  store::Store& events;
};

// Adds the routes to router.
void add_serial_routes(Router& router, const SerialServices& services, const SerialLimits& limits);

}  // namespace serialtrack::server
