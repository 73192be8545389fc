// Pack verification latency (verify_pack, the library call behind GET /verify) with
// many packs stored: random existing packs (with lot and expiry checked) and unknown
// serials (A2), each appended to the verification log (group-committed). EMVS
// allows 300 ms per verification; issue 5 targets p99 < 5 ms over HTTP.
// SERIALTRACK_BENCH_ITEMS sets the pack count (default 1,000,000).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "store/verification_log.h"
#include "trace/capture.h"
#include "trace/verify.h"

using namespace serialtrack;

namespace {

std::string serial_text(uint64_t n) {
  return std::string("S").append(std::to_string(n));
}

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main() {
  const char* env = std::getenv("SERIALTRACK_BENCH_ITEMS");
  const uint64_t packs = env ? std::strtoull(env, nullptr, 10) : 1'000'000;
  auto path = (std::filesystem::temp_directory_path() / "serialtrack_verify_bench.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = std::move(*store::open_sqlite(path));
  auto log = std::move(*store::open_sqlite_verification_log(path));

  auto t0 = std::chrono::steady_clock::now();
  constexpr uint64_t kPerEvent = 10'000;
  for (uint64_t first = 0, n = 0; first < packs; first += kPerEvent, ++n) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = std::string("urn:uuid:verify-bench-").append(std::to_string(n));
    e.event_time = {1'700'000'000'000'000'000 + static_cast<int64_t>(n), 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.disposition = "urn:epcglobal:cbv:disp:active";
    for (uint64_t i = first; i < std::min(packs, first + kPerEvent); ++i)
      e.epc_list.push_back(std::string("urn:epc:id:sgtin:9520123.045678.").append(serial_text(i)));
    e.ilmd = std::vector<epcis::Extension>(2);
    (*e.ilmd)[0].name = "lotNumber";
    (*e.ilmd)[0].value = "LOT42";
    (*e.ilmd)[1].name = "itemExpirationDate";
    (*e.ilmd)[1].value = "2049-12-31";
    if (!trace::capture(*store, std::span(&e, 1))) return 1;
  }
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("commissioned %llu packs in %.1f s\n", static_cast<unsigned long long>(packs),
              load_s);

  std::mt19937_64 rng(11);
  constexpr int kVerifications = 10'000;
  for (bool known : {true, false}) {
    std::vector<double> us;
    int verified = 0;
    for (int i = 0; i < kVerifications; ++i) {
      trace::VerifyRequest r;
      r.pack.gtin = "09520123456788";
      r.pack.serial = known ? serial_text(rng() % packs) : serial_text(packs + rng() % packs);
      r.pack.lot = "LOT42";
      r.pack.expiry = "491231";
      r.caller = {"bench", "9520123000011", "", false};
      r.now_unix_nanos = 1'780'000'000'000'000'000;
      auto start = std::chrono::steady_clock::now();
      auto a = trace::verify_pack(*store, *log, r);
      us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
      if (!a) return 1;
      verified += a->verified;
    }
    std::printf("verify %s (%d, logged): p50 %.1f us, p99 %.1f us, %d verified\n",
                known ? "existing packs" : "unknown serials", kVerifications, percentile(us, 0.5),
                percentile(us, 0.99), verified);
  }
  // Many clients at once (as server threads are): their log records share commits.
  constexpr int kThreads = 8, kPerThread = 1'000;
  std::vector<std::vector<double>> thread_us(kThreads);
  auto c0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 trng(t);
      for (int i = 0; i < kPerThread; ++i) {
        trace::VerifyRequest r;
        r.pack.gtin = "09520123456788";
        r.pack.serial = serial_text(trng() % packs);
        r.caller = {"bench", "9520123000011", "", false};
        r.now_unix_nanos = 1'780'000'000'000'000'000;
        auto start = std::chrono::steady_clock::now();
        if (!trace::verify_pack(*store, *log, r)) std::abort();
        thread_us[t].push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
      }
    });
  for (auto& t : threads) t.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
  std::vector<double> all;
  for (auto& v : thread_us) all.insert(all.end(), v.begin(), v.end());
  std::printf(
      "verify from %d threads (%d, logged, group commit): %.0f/s, p50 %.1f us, "
      "p99 %.1f us\n",
      kThreads, kThreads * kPerThread, kThreads * kPerThread / wall, percentile(all, 0.5),
      percentile(all, 0.99));

  // The same lookups without the log: what logging costs.
  std::vector<double> us;
  for (int i = 0; i < kVerifications; ++i) {
    auto pack =
        trace::resolve_pack({"", "09520123456788", serial_text(rng() % packs), "LOT42", "491231"});
    auto start = std::chrono::steady_clock::now();
    auto a = trace::inspect_pack(*store, *pack, 1'780'000'000'000'000'000);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                     .count());
    if (!a) return 1;
  }
  std::printf("inspect existing packs (%d, not logged): p50 %.1f us, p99 %.1f us\n", kVerifications,
              percentile(us, 0.5), percentile(us, 0.99));
  return 0;
}
