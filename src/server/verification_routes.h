// The verification routes (issue 5 "Verification"): GET /verify (gtin + serial [+ lot,
// expiry], or dl, or scan), POST /verify (one JSON object, or an array of them: a batch),
// pack operations POST /packs/{operation} (supply, destroy, stolen, sample, free-sample,
// export, lock, checkout, undo), and the DSCSA VRS responder GET /dscsa/verify (GS1 LMS
// query parameters). Each handler parses, calls one trace/ service (verify_pack,
// operate_pack, verify_dscsa: every verification is in the verification log) and renders
// its JSON. Each verification is first admitted by the VerificationLimiter (429 with
// Retry-After), then made through the Detector (trace/detection.h): its rules run on every
// verification (probing counted per verification_client, impossible travel from the
// request's location or geo point), an answer for a suspected clone says so, and the
// alerts go to the alert book. Pack operations capture through the Detector too.
// The caller is the guard's Principal (access.h): the public role gets the minimal answer.
#pragma once

#include "server/metrics.h"
#include "server/rate_limit.h"
#include "server/router.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/detection.h"

namespace serialtrack::server {

// What the routes read and write; all must outlive the routes.
struct VerificationServices {
  store::Store& events;
  store::VerificationLog& log;
  VerificationLimiter& limiter;
  Metrics& metrics;
  trace::Detector& detector;
};

// Adds the routes to router.
void add_verification_routes(Router& router, const VerificationServices& services);

// The name the rate limit counts a request under: the key id for party keys; for a public
// key (shared by an app) or no key at all, also the remote address.
std::string verification_client(const RequestContext& ctx);

}  // namespace serialtrack::server
