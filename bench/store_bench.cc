// Capture throughput of the embedded store (durable commits, synchronous=FULL):
// (a) small events (1-10 EPCs) in documents of 1,000 events; (b) bulk commissioning,
// one ObjectEvent ADD with 10,000 EPCs per capture. Issue targets: (a) >= 200,000
// events/s, (b) >= 1,000,000 EPCs/s.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "store/store.h"

namespace {

using namespace serialtrack;

std::string fresh_db(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("serialtrack_bench_" + name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

std::string sgtin(uint64_t serial) {
  return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial);
}

void BM_CaptureSmallEvents(benchmark::State& state) {
  auto store = std::move(*store::open_sqlite(fresh_db("small")));
  std::mt19937_64 rng(7);
  uint64_t next_id = 0, serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<epcis::Event> doc(1000);
    for (auto& e : doc) {
      e.type = epcis::EventType::kObject;
      e.action = epcis::Action::kObserve;
      e.event_id = "urn:uuid:bench-" + std::to_string(next_id++);
      e.event_time = {static_cast<int64_t>(next_id) * 1000, 0};
      e.biz_step = "urn:epcglobal:cbv:bizstep:shipping";
      e.read_point = "urn:epc:id:sgln:9520123.00001.0";
      for (size_t k = 1 + rng() % 10; k > 0; --k) e.epc_list.push_back(sgtin(serial++));
    }
    state.ResumeTiming();
    auto r = store->capture(doc);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

void BM_BulkCommissioning(benchmark::State& state) {
  auto store = std::move(*store::open_sqlite(fresh_db("bulk")));
  uint64_t next_id = 0, serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = "urn:uuid:bulk-" + std::to_string(next_id++);
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    for (int k = 0; k < 10000; ++k) e.epc_list.push_back(sgtin(serial++));
    state.ResumeTiming();
    auto r = store->capture(std::span(&e, 1));
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 10000);
  state.counters["unit"] = 0;  // items = EPCs here
}

BENCHMARK(BM_CaptureSmallEvents)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(BM_BulkCommissioning)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
