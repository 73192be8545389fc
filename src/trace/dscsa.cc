#include "trace/dscsa.h"

#include <boost/json.hpp>

#include "epcis/time.h"
#include "trace/detection.h"

namespace serialtrack::trace {

VerifyResult<VrsRequest> vrs_request_from_params(
    const std::vector<std::pair<std::string, std::string>>& params) {
  VrsRequest r;
  std::pair<const char*, std::string*> fields[] = {
      {"gtin", &r.gtin},
      {"serialNumber", &r.serial},
      {"lotNumber", &r.lot},
      {"expirationDate", &r.expiry},
      {"reqGLN", &r.requestor_gln},
      {"corrUUID", &r.correlation_id},
      {"context", &r.context},
  };
  for (const auto& [name, value] : params)
    for (auto& [field, target] : fields)
      if (name == field) *target = value;
  // LMS: the four data elements of the DSCSA product identifier are all required.
  for (size_t i = 0; i < 4; ++i)
    if (fields[i].second->empty())
      return unexpected(VerifyError{VerifyError::Kind::kInvalidInput, fields[i].first,
                                    std::string(fields[i].first) + ": missing"});
  return r;
}

VerifyResult<VrsResponse> verify_dscsa(store::Store& store, store::VerificationLog& log,
                                       const VrsRequest& request, Detector* detector) {
  for (auto [name, value] :
       {std::pair{"lotNumber", &request.lot}, {"expirationDate", &request.expiry}})
    if (value->empty())
      return unexpected(
          VerifyError{VerifyError::Kind::kInvalidInput, name, std::string(name) + ": missing"});
  VerifyRequest v;
  v.pack.gtin = request.gtin;
  v.pack.serial = request.serial;
  v.pack.lot = request.lot;
  v.pack.expiry = request.expiry;
  v.caller.client = request.client;
  v.caller.party = request.requestor_gln;
  v.now_unix_nanos = request.now_unix_nanos;
  VerifyResult<VerifyAnswer> answer = VerifyAnswer{};
  if (detector) {
    auto detected = detector->verify(store, log, v);
    if (!detected) return unexpected(std::move(detected).error());
    answer = std::move(detected->answer);
  } else {
    answer = verify_pack(store, log, v);
  }
  if (!answer) return unexpected(std::move(answer).error());
  VrsResponse r;
  r.correlation_id = request.correlation_id;
  r.responder_gln = request.responder_gln;
  r.verification_time = request.now_unix_nanos;
  r.verified = answer->verified;
  const VerifyAnswer& a = *answer;
  if (a.status == PackStatus::kUnknown) {
    // LMS: when GTIN and serial do not match, lot and expiry are not checked.
    r.failure_reason = "No_match_GTIN_Serial";
    r.reasons.push_back(a.alert == AlertCode::kUnknownProduct ? "no record of this GTIN"
                                                              : "no record of this serial");
  } else {
    if (!a.lot_matches) r.reasons.push_back("lot mismatch");
    if (!a.expiry_matches) r.reasons.push_back("expiry mismatch");
    if (!a.lot_matches && !a.expiry_matches)
      r.failure_reason = "No_match_GTIN_Serial_Lot_Expiry";
    else if (!a.lot_matches)
      r.failure_reason = "No_match_GTIN_Serial_Lot";
    else if (!a.expiry_matches)
      r.failure_reason = "No_match_GTIN_Serial_Expiry";
    if (a.status != PackStatus::kActive) {
      r.reasons.push_back("status: " + pack_status_words(a.status));
      if (r.failure_reason.empty()) r.failure_reason = "Not_for_re-distribution";
      if (a.status == PackStatus::kRecalled || a.status == PackStatus::kWithdrawn)
        r.additional_info = "Recalled";
      else if (a.status == PackStatus::kExpired)
        r.additional_info = "Expired";
      else if (a.status == PackStatus::kStolen)
        r.additional_info = "Suspect";
    }
  }
  r.answer = std::move(*answer);
  return r;
}

boost::json::object vrs_response_json(const VrsResponse& r) {
  boost::json::object o;
  o["corrUUID"] = r.correlation_id;
  if (!r.responder_gln.empty()) o["responderGLN"] = r.responder_gln;
  o["verificationTimestamp"] = epcis::format_timestamp_utc({r.verification_time, 0});
  boost::json::object data{{"verified", r.verified}};
  if (!r.failure_reason.empty()) data["verificationFailureReason"] = r.failure_reason;
  if (!r.additional_info.empty()) data["additionalInfo"] = r.additional_info;
  o["data"] = std::move(data);
  boost::json::array reasons;
  for (const auto& s : r.reasons) reasons.emplace_back(s);
  o["reasons"] = std::move(reasons);
  o["status"] = pack_status_name(r.answer.status);
  return o;
}

}  // namespace serialtrack::trace
