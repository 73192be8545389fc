// The cost of detection on the verification path: Detector::verify (verify_pack, its
// log append, then the rules: item state, master data, sightings, probe windows,
// baselines) against plain verify_pack, on packs commissioned through
// Detector::capture at a site with master data. SERIALTRACK_BENCH_ITEMS sets the pack
// count (default 20,000). Prints p50/p99 per verification for both.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "store/alert_book.h"
#include "store/verification_log.h"
#include "trace/detection.h"

using namespace serialtrack;

namespace {

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

constexpr const char* kSite = "urn:epc:id:sgln:9520123.00003.0";

}  // namespace

int main() {
  const char* env = std::getenv("SERIALTRACK_BENCH_ITEMS");
  const uint64_t packs = env ? std::strtoull(env, nullptr, 10) : 20'000;
  auto path = (std::filesystem::temp_directory_path() / "serialtrack_detection_bench.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = std::move(*store::open_sqlite(path, {.durable = false}));
  auto log = std::move(*store::open_sqlite_verification_log(path));
  auto book = std::move(*store::open_sqlite_alert_book(path));
  trace::Detector detector(*book);
  epcis::Vocabulary site{"urn:epcglobal:epcis:vtype:BusinessLocation",
                         {{kSite,
                           {{"urn:epcglobal:cbv:mda#countryCode", "DE"},
                            {"urn:epcglobal:cbv:mda#latitude", "48.137"},
                            {"urn:epcglobal:cbv:mda#longitude", "11.575"}},
                           {}}}};
  const int64_t t0 = 1'767'600'000'000'000'000;
  for (uint64_t first = 0; first < packs; first += 1000) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_time = {t0, 0};
    e.event_id = "urn:uuid:bench-" + std::to_string(first);
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.biz_location = kSite;
    for (uint64_t i = first; i < std::min(packs, first + 1000); ++i)
      e.epc_list.push_back("urn:epc:id:sgtin:9520123.045678.S" + std::to_string(i));
    auto r = detector.capture(*store, std::span(&e, 1), {site});
    if (!r) return std::fprintf(stderr, "capture: %s\n", r.error().message.c_str()), 1;
  }
  const size_t rounds = std::min<uint64_t>(packs, 2000);
  std::vector<double> plain, detected;
  for (size_t i = 0; i < rounds; ++i) {
    trace::VerifyRequest r;
    r.pack.gtin = "09520123456788";
    r.pack.serial = "S" + std::to_string(i * 7 % packs);
    r.caller = {"bench", "urn:epc:id:pgln:9520123.00003", kSite, false};
    r.now_unix_nanos = t0 + static_cast<int64_t>(i) * 60'000'000'000;
    auto start = std::chrono::steady_clock::now();
    auto a = trace::verify_pack(*store, *log, r);
    auto mid = std::chrono::steady_clock::now();
    auto b = detector.verify(*store, *log, r);
    auto end = std::chrono::steady_clock::now();
    if (!a || !b) return std::fprintf(stderr, "verification failed\n"), 1;
    plain.push_back(std::chrono::duration<double, std::micro>(mid - start).count());
    detected.push_back(std::chrono::duration<double, std::micro>(end - mid).count());
  }
  std::printf("packs %llu, verifications %zu each\n", static_cast<unsigned long long>(packs),
              rounds);
  std::printf("verify_pack        p50 %8.1f us  p99 %8.1f us\n", percentile(plain, 0.5),
              percentile(plain, 0.99));
  std::printf("Detector::verify   p50 %8.1f us  p99 %8.1f us\n", percentile(detected, 0.5),
              percentile(detected, 0.99));
  return 0;
}
