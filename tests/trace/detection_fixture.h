// A small supply chain for the detection tests: a plant, a wholesaler and pharmacies with
// their master data (coordinates, countries), and packs moved through
// trace::Detector::capture and verified through Detector::verify on a fresh database.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "epcis/time.h"
#include "store/alert_book.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/detection.h"

namespace serialtrack::testing {

struct Site {
  std::string sgln, pgln, country;
  double latitude, longitude;
};
inline const Site kPlant{"urn:epc:id:sgln:9520123.00001.0", "urn:epc:id:pgln:9520123.00001", "DE",
                         52.52, 13.40};  // Berlin
inline const Site kWholesaler{"urn:epc:id:sgln:9520123.00002.0", "urn:epc:id:pgln:9520123.00002",
                              "DE", 53.55, 9.99};  // Hamburg
inline const Site kPharmacy{"urn:epc:id:sgln:9520123.00003.0", "urn:epc:id:pgln:9520123.00003",
                            "DE", 48.137, 11.575};  // Munich
inline const Site kPharmacyAcrossTown{"urn:epc:id:sgln:9520123.00004.0",
                                      "urn:epc:id:pgln:9520123.00004", "DE", 48.18,
                                      11.51};  // Munich, ~7 km away
inline const Site kPharmacyAbroad{"urn:epc:id:sgln:9520123.00005.0",
                                  "urn:epc:id:pgln:9520123.00005", "FR", 48.857, 2.352};  // Paris

inline const std::string kDetGtin = "09520123456788";
inline int64_t t_at(const char* rfc3339) {
  return epcis::parse_timestamp(rfc3339)->unix_nanos;
}
inline constexpr int64_t kMin = 60LL * 1'000'000'000;
inline constexpr int64_t kHours = 60 * kMin;

class DetectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::path(::testing::TempDir()) /
             (std::string("detect_") + info->test_suite_name() + "_" + info->name() + ".db"))
                .string();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    store_ = std::move(*store::open_sqlite(path_));
    log_ = std::move(*store::open_sqlite_verification_log(path_));
    book_ = std::move(*store::open_sqlite_alert_book(path_));
    detector_ = std::make_unique<trace::Detector>(*book_, options_);
  }

  static std::string sgtin(const std::string& serial) {
    return "urn:epc:id:sgtin:9520123.045678." + serial;
  }
  static std::string key(const std::string& serial) {
    return "https://id.gs1.org/01/" + kDetGtin + "/21/" + serial;
  }

  // The master data of every site (CBV 2.0 §10 countryCode, latitude, longitude).
  static std::vector<epcis::Vocabulary> master_data() {
    epcis::Vocabulary v{"urn:epcglobal:epcis:vtype:BusinessLocation", {}};
    for (const Site* s :
         {&kPlant, &kWholesaler, &kPharmacy, &kPharmacyAcrossTown, &kPharmacyAbroad})
      v.elements.push_back({s->sgln,
                            {{"urn:epcglobal:cbv:mda#countryCode", s->country},
                             {"urn:epcglobal:cbv:mda#latitude", std::to_string(s->latitude)},
                             {"urn:epcglobal:cbv:mda#longitude", std::to_string(s->longitude)}},
                            {}});
    return {v};
  }

  // One event through detection's capture; returns the kinds of the alerts it raised.
  std::vector<std::string> capture(epcis::Event e) {
    e.event_id = "urn:uuid:det-event-" + std::to_string(++events_);
    auto r = detector_->capture(*store_, std::span(&e, 1), master_data());
    EXPECT_TRUE(r) << r.error().message;
    return r ? kinds(r->alerts) : std::vector<std::string>{};
  }

  static epcis::Event object(epcis::Action action, std::vector<std::string> epcs, const Site& at,
                             int64_t when, const std::string& step, const std::string& disp) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = action;
    e.event_time = {when, 0};
    e.epc_list = std::move(epcs);
    e.biz_step = "urn:epcglobal:cbv:bizstep:" + step;
    e.disposition = "urn:epcglobal:cbv:disp:" + disp;
    e.biz_location = at.sgln;
    e.read_point = at.sgln;
    return e;
  }

  std::vector<std::string> commission(const std::vector<std::string>& serials,
                                      int64_t when = t_at("2026-01-10T08:00:00Z")) {
    std::vector<std::string> epcs;
    for (const auto& s : serials) epcs.push_back(sgtin(s));
    epcis::Event e = object(epcis::Action::kAdd, epcs, kPlant, when, "commissioning", "active");
    std::vector<epcis::Extension> ilmd(2);
    for (auto& x : ilmd) {
      x.ns = "urn:epcglobal:cbv:mda";
      x.prefix = "cbvmda";
    }
    ilmd[0].name = "lotNumber";
    ilmd[0].value = "LOT42";
    ilmd[1].name = "itemExpirationDate";
    ilmd[1].value = "2027-12-31";
    e.ilmd = ilmd;
    return capture(e);
  }

  std::vector<std::string> receive(const std::string& serial, const Site& at, int64_t when) {
    return capture(
        object(epcis::Action::kObserve, {sgtin(serial)}, at, when, "receiving", "in_progress"));
  }
  std::vector<std::string> dispense(const std::string& serial, const Site& at, int64_t when) {
    return capture(
        object(epcis::Action::kObserve, {sgtin(serial)}, at, when, "dispensing", "dispensed"));
  }

  // A verification by a pharmacy or wholesaler (party and location) or, with at null, by
  // a consumer's app at a point.
  trace::DetectedVerification verify(const std::string& serial, const Site* at, int64_t when,
                                     const std::string& client = "",
                                     std::optional<trace::GeoPoint> where = std::nullopt) {
    trace::VerifyRequest r;
    r.pack.gtin = kDetGtin;
    r.pack.serial = serial;
    r.caller.client = client.empty() ? (at ? at->pgln : "consumer:1") : client;
    if (at) {
      r.caller.party = at->pgln;
      r.caller.location = at->sgln;
    } else {
      r.caller.is_public = true;
    }
    r.now_unix_nanos = when;
    auto v = detector_->verify(*store_, *log_, r, where);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : trace::DetectedVerification{};
  }

  std::vector<std::string> kinds(const std::vector<int64_t>& ids) {
    std::vector<std::string> out;
    for (int64_t id : ids) out.push_back((*book_->get(id))->kind);
    return out;
  }
  std::vector<std::string> all_kinds() {
    std::vector<std::string> out;
    auto listed = book_->list({});
    for (const auto& a : *listed) out.push_back(a.kind);
    return out;
  }

  trace::DetectionOptions options_;
  std::string path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::VerificationLog> log_;
  std::unique_ptr<store::AlertBook> book_;
  std::unique_ptr<trace::Detector> detector_;
  int events_ = 0;
};

inline bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace serialtrack::testing
