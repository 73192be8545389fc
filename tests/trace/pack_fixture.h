// Medicine packs commissioned through trace::capture, as a packaging line would, for the
// verification and pack operation tests: a real store and verification log on a fresh
// database file.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "epcis/time.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/capture.h"

namespace serialtrack::testing {

inline const std::string kGtin = "09520123456788";  // GCP 9520123, item reference 45678
inline const std::string kOtherGtinOfCompany = "09520123456795";
inline const std::string kUnknownGtin = "09506000134352";
inline const std::string kLot = "LOT42";
inline const std::string kExpiry = "271231";  // 2027-12-31
inline const std::string kPartyA = "9520123000011";
inline const std::string kPartyB = "9520123000028";

inline int64_t at(const char* rfc3339) {
  return epcis::parse_timestamp(rfc3339)->unix_nanos;
}
inline const int64_t kNow = at("2026-06-01T12:00:00Z");
inline constexpr int64_t kDay = 24LL * 3600 * 1'000'000'000;

inline std::string sgtin(const std::string& serial) {
  return "urn:epc:id:sgtin:9520123.045678." + serial;
}
inline std::string item_key(const std::string& serial) {
  return "https://id.gs1.org/01/" + kGtin + "/21/" + serial;
}

struct PackStore {
  std::string path;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::VerificationLog> log;
  int events = 0;

  explicit PackStore(const std::string& name) {
    path = (std::filesystem::path(::testing::TempDir()) / (name + ".db")).string();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    store = std::move(*store::open_sqlite(path));
    log = std::move(*store::open_sqlite_verification_log(path));
  }

  void capture(epcis::Event e) {
    if (e.event_id.empty()) e.event_id = "urn:uuid:test-event-" + std::to_string(++events);
    auto r = trace::capture(*store, std::span(&e, 1));
    ASSERT_TRUE(r) << r.error().message;
  }

  // An ObjectEvent ADD (CBV commissioning) with the lot and expiry in its ILMD
  // (CBV 2.0 §9.2 cbvmda:lotNumber, cbvmda:itemExpirationDate).
  void commission(const std::vector<std::string>& serials, const std::string& lot = kLot,
                  const std::string& expiry_iso = "2027-12-31",
                  int64_t when = at("2026-01-10T08:00:00Z")) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_time = {when, 0};
    for (const auto& s : serials) e.epc_list.push_back(sgtin(s));
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.disposition = "urn:epcglobal:cbv:disp:active";
    e.read_point = "urn:epc:id:sgln:9520123.00001.0";
    e.biz_location = "urn:epc:id:sgln:9520123.00001.0";
    std::vector<epcis::Extension> ilmd(2);
    for (auto& x : ilmd) {
      x.ns = "urn:epcglobal:cbv:mda";
      x.prefix = "cbvmda";
    }
    ilmd[0].name = "lotNumber";
    ilmd[0].value = lot;
    ilmd[1].name = "itemExpirationDate";
    ilmd[1].value = expiry_iso;
    e.ilmd = ilmd;
    capture(e);
  }

  // An ObjectEvent OBSERVE on one pack with a disposition (and persistent dispositions).
  void observe(const std::string& serial, const std::string& disposition, int64_t when,
               const std::vector<std::string>& persistent_set = {}) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kObserve;
    e.event_time = {when, 0};
    e.epc_list = {sgtin(serial)};
    e.disposition = disposition;
    e.persistent_disposition.set = persistent_set;
    capture(e);
  }
};

}  // namespace serialtrack::testing
