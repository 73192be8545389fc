#include "sim/records.h"

#include <boost/json.hpp>

#include "epcis/time.h"

namespace serialtrack::sim {

std::string_view anomaly_kind_name(AnomalyKind kind) {
  switch (kind) {
    case AnomalyKind::kClone:
      return "clone";
    case AnomalyKind::kProbing:
      return "probing";
    case AnomalyKind::kDiversion:
      return "diversion";
    case AnomalyKind::kReuse:
      return "reuse";
    case AnomalyKind::kTamper:
      return "tamper";
    case AnomalyKind::kOutOfSequence:
      return "out_of_sequence";
  }
  return "unknown";
}

std::optional<AnomalyKind> anomaly_kind_from_name(std::string_view name) {
  for (AnomalyKind k : kAnomalyKinds)
    if (anomaly_kind_name(k) == name) return k;
  return std::nullopt;
}

namespace {

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string_view fate_name(ItemTruth::Fate f) {
  switch (f) {
    case ItemTruth::Fate::kDispensed:
      return "dispensed";
    case ItemTruth::Fate::kSold:
      return "sold";
    case ItemTruth::Fate::kDestroyed:
      return "destroyed";
    case ItemTruth::Fate::kUnpacked:
      return "unpacked";
  }
  return "unknown";
}

std::string_view kind_name(ItemTruth::Kind k) {
  switch (k) {
    case ItemTruth::Kind::kUnit:
      return "unit";
    case ItemTruth::Kind::kCase:
      return "case";
    case ItemTruth::Kind::kPallet:
      return "pallet";
  }
  return "unknown";
}

}  // namespace

std::string verification_json(const Verification& v) {
  boost::json::object o;
  o["id"] = v.id;
  o["time"] = epcis::format_timestamp(v.time);
  o["client"] = v.client;
  o["role"] = v.role;
  o["location"] = v.location;
  o["identifier"] = v.identifier;
  return boost::json::serialize(o);
}

std::string label_json(const AnomalyLabel& label) {
  boost::json::object o;
  o["kind"] = anomaly_kind_name(label.kind);
  o["variant"] = label.variant;
  o["identifiers"] = strings(label.identifiers);
  o["time"] = epcis::format_timestamp(label.time);
  o["event_ids"] = strings(label.event_ids);
  o["verification_ids"] = strings(label.verification_ids);
  return boost::json::serialize(o);
}

std::string truth_json(const ItemTruth& t) {
  boost::json::object o;
  o["kind"] = kind_name(t.kind);
  o["id"] = t.id;
  if (!t.scan.empty()) o["scan"] = t.scan;
  if (!t.lot.empty()) o["lot"] = t.lot;
  if (!t.expiry.empty()) o["expiry"] = t.expiry;
  if (!t.case_id.empty()) o["case"] = t.case_id;
  if (!t.pallet_id.empty()) o["pallet"] = t.pallet_id;
  o["fate"] = fate_name(t.fate);
  o["disposition"] = t.disposition;
  o["biz_location"] = t.biz_location;
  o["owner"] = t.owner;
  o["recalled"] = t.recalled;
  o["anomalous"] = t.anomalous;
  return boost::json::serialize(o);
}

}  // namespace serialtrack::sim
