// Item state lookup and item history latency with many items stored (issue target:
// p99 < 1 ms with 10 million items). Items are commissioned through trace::capture in
// events of 10,000 EPCs; lookups pick random units.
// SERIALTRACK_BENCH_ITEMS sets the item count (default 1,000,000; the target is stated
// for 10,000,000, which takes a few minutes to load).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include "trace/capture.h"
#include "trace/history.h"

using namespace serialtrack;

namespace {

std::string sgtin(uint64_t serial) { return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial); }

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main() {
  const char* env = std::getenv("SERIALTRACK_BENCH_ITEMS");
  const uint64_t items = env ? std::strtoull(env, nullptr, 10) : 1'000'000;
  auto path = (std::filesystem::temp_directory_path() / "serialtrack_lookup_bench.db").string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = std::move(*store::open_sqlite(path));

  auto t0 = std::chrono::steady_clock::now();
  constexpr uint64_t kPerEvent = 10'000;
  for (uint64_t first = 0, n = 0; first < items; first += kPerEvent, ++n) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = "urn:uuid:lookup-" + std::to_string(n);
    e.event_time = {static_cast<int64_t>(n) * 1'000'000'000, 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.read_point = "urn:epc:id:sgln:9520123.00001.0";
    for (uint64_t s = first; s < std::min(items, first + kPerEvent); ++s) e.epc_list.push_back(sgtin(s));
    if (auto r = trace::capture(*store, std::span(&e, 1)); !r) {
      std::fprintf(stderr, "capture failed: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("loaded %llu items in %.1f s (%.0f items/s through trace::capture)\n",
              static_cast<unsigned long long>(items), load, static_cast<double>(items) / load);

  std::mt19937_64 rng(42);
  constexpr int kLookups = 20'000;
  std::vector<double> state_us, report_us;
  for (int i = 0; i < kLookups; ++i) {
    std::string id = sgtin(rng() % items);
    auto a = std::chrono::steady_clock::now();
    auto s = trace::item_state(*store, id);
    auto b = std::chrono::steady_clock::now();
    auto r = trace::item_report(*store, id);
    auto c = std::chrono::steady_clock::now();
    if (!s || !*s || !r || r->history.empty()) {
      std::fprintf(stderr, "lookup of %s failed\n", id.c_str());
      return 1;
    }
    state_us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
    report_us.push_back(std::chrono::duration<double, std::micro>(c - b).count());
  }
  std::printf("item state lookup   (%d random items): p50 %.1f us, p99 %.1f us\n", kLookups,
              percentile(state_us, 0.5), percentile(state_us, 0.99));
  std::printf("item report+history (%d random items): p50 %.1f us, p99 %.1f us\n", kLookups,
              percentile(report_us, 0.5), percentile(report_us, 0.99));
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return 0;
}
