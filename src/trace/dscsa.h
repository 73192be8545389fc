// US DSCSA product identifier verification as a Verification Router Service (VRS)
// responder answers it (GS1 Lightweight Messaging Standard for DSCSA Verification of
// Product Identifiers, "LMS", release 1.x): a request names GTIN, serial, lot and expiry
// with the requestor's GLN and a correlation id; the response says verified true/false
// with the LMS failure reason and additional information, and our reasons in plain
// words. Built on verify_pack (so every request is in the verification log).
//
// verified is true only when the pack is known, ACTIVE and its lot and expiry match
// (an inactive pack is "Not_for_re-distribution": the manufacturer's policy LMS allows).
//
// Thread-safe as the Store and VerificationLog are.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "trace/verify.h"

namespace serialtrack::trace {

class Detector;

// LMS request fields (query parameters gtin, serialNumber, lotNumber, expirationDate,
// reqGLN, corrUUID; context e.g. "dscsaSaleableReturn").
struct VrsRequest {
  std::string gtin;  // 14 digits
  std::string serial;
  std::string lot;
  std::string expiry;          // YYMMDD
  std::string requestor_gln;   // 13 digits (or PGLN URN / Digital Link)
  std::string correlation_id;  // UUID chosen by the requestor, echoed back
  std::string context;         // "dscsaSaleableReturn"...; kept for the caller, not checked
  std::string client;          // the client, for the log
  std::string responder_gln;   // our GLN, echoed as responderGLN when given
  int64_t now_unix_nanos = 0;
};

struct VrsResponse {
  bool verified = false;
  // LMS verificationFailureReason: "No_match_GTIN_Serial", "No_match_GTIN_Serial_Lot",
  // "No_match_GTIN_Serial_Expiry", "No_match_GTIN_Serial_Lot_Expiry",
  // "Not_for_re-distribution"; "" when verified.
  std::string failure_reason;
  // LMS additionalInfo: "Recalled" (recalled or withdrawn), "Expired", "Suspect"
  // (stolen); "" when none.
  std::string additional_info;
  std::vector<std::string> reasons;  // plain words: "no record", "lot mismatch",
                                     // "expiry mismatch", "status: recalled"...
  std::string correlation_id;
  std::string responder_gln;
  int64_t verification_time = 0;  // unix nanos
  VerifyAnswer answer;            // the EU-style verification behind it
};

// The request from LMS query parameters (name, value), already %-decoded; unknown names
// are ignored. Error kInvalidInput naming the missing field (gtin, serialNumber,
// lotNumber, expirationDate are required).
VerifyResult<VrsRequest> vrs_request_from_params(
    const std::vector<std::pair<std::string, std::string>>& params);

// Answers a VRS request (and logs it as a verification by the requestor); through
// detector->verify when a detector is given (so the request counts for the detection
// rules, e.g. probing by its client). Error kInvalidInput for a request that does not
// parse (nothing logged), kStore when the store or the log fails.
VerifyResult<VrsResponse> verify_dscsa(store::Store& store, store::VerificationLog& log,
                                       const VrsRequest& request, Detector* detector = nullptr);

// The LMS response object: {"corrUUID", "responderGLN"?, "verificationTimestamp"
// (RFC 3339 UTC), "data": {"verified", "verificationFailureReason"?, "additionalInfo"?},
// "reasons": [...], "status"} ("?" absent when empty).
boost::json::object vrs_response_json(const VrsResponse& response);

}  // namespace serialtrack::trace
