// Simulator throughput: items (packs) per second generated (events and scans built,
// nothing kept), generated and encoded as EPCIS JSON, and generated and captured into
// a fresh SQLite store through trace::capture (durable commits, item state, alerts).
// Sizes are small by default (the machine is shared); SERIALTRACK_BENCH_SIM_ITEMS
// overrides the item count of every case.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "epcis/json_codec.h"
#include "sim/simulator.h"
#include "trace/capture.h"

namespace {

using namespace serialtrack;

uint64_t items_or(uint64_t fallback) {
  const char* env = std::getenv("SERIALTRACK_BENCH_SIM_ITEMS");
  return env != nullptr && *env != '\0' ? std::strtoull(env, nullptr, 10) : fallback;
}

// Counts events and scans, optionally encoding each document, optionally capturing it.
class BenchSink : public sim::Sink {
 public:
  bool encode = false;
  store::Store* store = nullptr;
  uint64_t events = 0, bytes = 0;
  std::optional<sim::SinkError> document(const epcis::Document& doc) override {
    events += doc.events.size();
    if (encode) bytes += epcis::encode_json(doc).size();
    if (store != nullptr) {
      auto r = trace::capture(*store, doc.events, doc.master_data);
      if (!r) return sim::SinkError{r.error().message};
    }
    return std::nullopt;
  }
  std::optional<sim::SinkError> verification(const sim::Verification&) override {
    return std::nullopt;
  }
  std::optional<sim::SinkError> label(const sim::AnomalyLabel&) override { return std::nullopt; }
};

sim::Config config(uint64_t items) {
  sim::Config c;
  c.items = items;
  c.seed = 1;
  c.anomalies = sim::AnomalyRates::all(0.001);
  return c;
}

void run(benchmark::State& state, BenchSink& sink, uint64_t items) {
  for (auto _ : state) {
    auto r = sim::simulate(config(items), sink);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(sink.events), benchmark::Counter::kIsRate);
}

void BM_Generate(benchmark::State& state) {
  BenchSink sink;
  run(state, sink, items_or(20000));
}
BENCHMARK(BM_Generate)->Unit(benchmark::kMillisecond);

void BM_GenerateAndEncodeJson(benchmark::State& state) {
  BenchSink sink;
  sink.encode = true;
  run(state, sink, items_or(20000));
  state.counters["bytes/item"] =
      static_cast<double>(sink.bytes) / static_cast<double>(state.iterations() * items_or(20000));
}
BENCHMARK(BM_GenerateAndEncodeJson)->Unit(benchmark::kMillisecond);

void BM_GenerateIntoStore(benchmark::State& state) {
  auto p = std::filesystem::temp_directory_path() / "serialtrack_bench_sim.db";
  uint64_t items = items_or(5000);
  for (auto _ : state) {
    state.PauseTiming();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
    auto store = store::open_sqlite(p.string());
    BenchSink sink;
    sink.store = store->get();
    state.ResumeTiming();
    auto r = sim::simulate(config(items), sink);
    if (!r) state.SkipWithError(r.error().message.c_str());
    state.counters["events"] = static_cast<double>(sink.events);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
}
BENCHMARK(BM_GenerateIntoStore)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
