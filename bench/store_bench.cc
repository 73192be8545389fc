// Capture throughput of the embedded store (durable commits, synchronous=FULL):
// (a) small events (1-10 EPCs) in documents of 1,000 events: on their own, through item
// state on items just commissioned, and through item state on random stored items;
// (b) bulk commissioning, one ObjectEvent ADD with 10,000 EPCs per capture. Issue targets: (a) >= 200,000
// events/s, (b) >= 1,000,000 EPCs/s.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "store/store.h"
#include "trace/capture.h"

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

double g_ours_small_events_per_second = 0;

// A document of 1,000 small shipping events, each naming 1-10 SGTINs of serial numbers
// next_serial() gives; eventIDs and times go on from next_id.
template <class NextSerial>
std::vector<epcis::Event> small_events(std::mt19937_64& rng, uint64_t& next_id,
                                       NextSerial next_serial) {
  std::vector<epcis::Event> doc(1000);
  for (auto& e : doc) {
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kObserve;
    e.event_id = "urn:uuid:bench-" + std::to_string(next_id++);
    e.event_time = {static_cast<int64_t>(next_id) * 1000, 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:shipping";
    e.read_point = "urn:epc:id:sgln:9520123.00001.0";
    for (size_t k = 1 + rng() % 10; k > 0; --k) e.epc_list.push_back(sgtin(next_serial()));
  }
  return doc;
}

// An ObjectEvent ADD commissioning epcs, captured through trace::capture (item state).
bool commission(store::Store& store, const std::string& id, std::vector<std::string> epcs) {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kAdd;
  e.event_id = "urn:uuid:commission-" + id;
  e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
  e.epc_list = std::move(epcs);
  return static_cast<bool>(trace::capture(store, std::span(&e, 1)));
}

// Documents of 1,000 small events; with_state: through trace::capture, which also
// updates every named item's state in the same transaction (the real capture path).
// The items were commissioned beforehand (untimed), as on a real line, so the timed
// events update existing items and raise no alerts.
void capture_small_events(benchmark::State& state, bool with_state) {
  auto store = std::move(*store::open_sqlite(fresh_db(with_state ? "small_state" : "small")));
  std::mt19937_64 rng(7);
  uint64_t next_id = 0, serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto doc = small_events(rng, next_id, [&] { return serial++; });
    if (with_state) {
      std::vector<std::string> epcs;
      for (const auto& e : doc) epcs.insert(epcs.end(), e.epc_list.begin(), e.epc_list.end());
      if (!commission(*store, std::to_string(next_id), std::move(epcs)))
        state.SkipWithError("commissioning failed");
    }
    state.ResumeTiming();
    auto r = with_state ? trace::capture(*store, doc) : store->capture(doc);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

void BM_CaptureSmallEvents(benchmark::State& state) {
  auto t0 = std::chrono::steady_clock::now();
  capture_small_events(state, false);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  g_ours_small_events_per_second = static_cast<double>(state.iterations()) * 1000 / s;
}

void BM_CaptureSmallEventsWithItemState(benchmark::State& state) { capture_small_events(state, true); }

// As above, but each event names 1-10 packs drawn at random from 1,000,000 commissioned
// beforehand (untimed), as a warehouse ships what it holds: the item rows and index
// entries an event touches are spread over the whole store, not next to each other.
void BM_CaptureSmallEventsOnRandomStoredItems(benchmark::State& state) {
  constexpr uint64_t kItems = 1'000'000;
  auto store = std::move(*store::open_sqlite(fresh_db("small_random")));
  for (uint64_t first = 0; first < kItems; first += 10'000) {
    std::vector<std::string> epcs;
    for (uint64_t s = first; s < first + 10'000; ++s) epcs.push_back(sgtin(s));
    if (!commission(*store, "all-" + std::to_string(first), std::move(epcs))) {
      state.SkipWithError("commissioning failed");
      return;
    }
  }
  std::mt19937_64 rng(11);
  uint64_t next_id = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto doc = small_events(rng, next_id, [&] { return rng() % kItems; });
    state.ResumeTiming();
    auto r = trace::capture(*store, doc);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

// The naive baseline the issue asks for: the same kind of events inserted row by row
// (one transaction each, synchronous=FULL) into a plain table through the sqlite3 shell.
void BM_NaiveSqliteShellRowByRow(benchmark::State& state) {
  constexpr int kRows = 2000;
  std::string db = fresh_db("naive"), script = db + ".sql";
  {
    std::ofstream out(script);
    out << "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;\n"
           "CREATE TABLE events(id TEXT PRIMARY KEY, type TEXT, event_time INTEGER, biz_step TEXT, "
           "read_point TEXT, epcs TEXT);\n";
    for (int i = 0; i < kRows; ++i)
      out << "INSERT INTO events VALUES('urn:uuid:naive-" << i << "','ObjectEvent'," << i
          << ",'shipping','urn:epc:id:sgln:9520123.00001.0','" << sgtin(i) << "');\n";
  }
  std::string cmd = "sqlite3 " + db + " < " + script + " > /dev/null";
  double seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    state.ResumeTiming();
    auto t0 = std::chrono::steady_clock::now();
    if (std::system(cmd.c_str()) != 0) state.SkipWithError("sqlite3 shell failed (is sqlite3 installed?)");
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  // Wall time: the work happens in the sqlite3 child process, not this one's CPU time.
  double naive_per_second = static_cast<double>(kRows) * state.iterations() / seconds;
  state.counters["naive_events_per_s"] = naive_per_second;
  // Ours: the first benchmark's small-event capture (events, with their EPC index).
  state.counters["ours_over_naive"] = g_ours_small_events_per_second / naive_per_second;
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

BENCHMARK(BM_CaptureSmallEvents)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_CaptureSmallEventsWithItemState)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_CaptureSmallEventsOnRandomStoredItems)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();
BENCHMARK(BM_NaiveSqliteShellRowByRow)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_BulkCommissioning)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
