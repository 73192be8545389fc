// Recall computation and marking with N items stored (issue target: a recall of 1
// million items from a 10-million-item store in under 30 s). Items of one GTIN are
// commissioned through trace::capture in events of 10,000 EPCs, in 10 lots (event n
// has lot n mod 10); every 100
// units are packed into a case. The recall takes back one lot (N/10 items): finding
// them (a GTIN range scan), their cases, marking them RECALLED in events of 1,000,
// then the report with progress. N is the first argument (or SERIALTRACK_BENCH_ITEMS;
// default 100,000), e.g. `recall_bench 10000000`. The loaded store is kept in /tmp
// (serialtrack_recall_bench_<N>.db) and copied for each run, which marks items: a rerun
// skips the load.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "trace/capture.h"
#include "trace/recall.h"

using namespace serialtrack;

namespace {

std::string sgtin(uint64_t serial) {
  return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

epcis::Extension lot_field(uint64_t lot) {
  epcis::Extension x;
  x.ns = "urn:epcglobal:cbv:mda";
  x.prefix = "cbvmda";
  x.name = "lotNumber";
  x.value = "LOT" + std::to_string(lot);
  return x;
}

// Commissions the items and packs them into cases, in a new store at path.
int load(const std::string& path, uint64_t items) {
  auto store = std::move(*store::open_sqlite(path));
  constexpr uint64_t kPerEvent = 10'000, kPerCase = 100;
  int64_t second = 0;
  for (uint64_t first = 0, n = 0; first < items; first += kPerEvent, ++n) {
    std::vector<epcis::Event> batch;
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = "urn:uuid:recall-bench-" + std::to_string(n);
    e.event_time = {++second * 1'000'000'000, 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.biz_location = "urn:epc:id:sgln:9520123.00001.0";
    e.ilmd = std::vector<epcis::Extension>{lot_field(n % 10)};
    for (uint64_t s = first; s < std::min(items, first + kPerEvent); ++s)
      e.epc_list.push_back(sgtin(s));
    batch.push_back(std::move(e));
    for (uint64_t c = first; c < std::min(items, first + kPerEvent); c += kPerCase) {
      epcis::Event p;
      p.type = epcis::EventType::kAggregation;
      p.action = epcis::Action::kAdd;
      p.event_id = "urn:uuid:recall-bench-case-" + std::to_string(c);
      p.event_time = {second * 1'000'000'000 + 1, 0};
      char sscc[64];
      std::snprintf(sscc, sizeof sscc, "urn:epc:id:sscc:9520123.%010llu",
                    static_cast<unsigned long long>(c / kPerCase));
      p.parent_id = sscc;
      for (uint64_t s = c; s < std::min(items, c + kPerCase); ++s) p.epc_list.push_back(sgtin(s));
      batch.push_back(std::move(p));
    }
    if (auto r = trace::capture(*store, batch); !r) {
      std::fprintf(stderr, "capture failed: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  return 0;
}

void remove_db(const std::string& path) {
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = argc > 1 ? argv[1] : std::getenv("SERIALTRACK_BENCH_ITEMS");
  const uint64_t items = env ? std::strtoull(env, nullptr, 10) : 100'000;
  auto tmp = std::filesystem::temp_directory_path();
  auto kept = (tmp / ("serialtrack_recall_bench_" + std::to_string(items) + ".db")).string();
  auto path = (tmp / "serialtrack_recall_bench.db").string();
  auto t0 = std::chrono::steady_clock::now();
  if (!std::filesystem::exists(kept)) {
    std::string building = kept + ".building";
    remove_db(building);
    if (load(building, items) != 0) return 1;  // the store closes: its WAL is checkpointed
    std::filesystem::rename(building, kept);
    std::printf("loaded %llu items (in cases of 100) in %.1f s, kept as %s\n",
                static_cast<unsigned long long>(items), seconds_since(t0), kept.c_str());
  } else {
    std::printf("reusing %llu items loaded earlier from %s\n",
                static_cast<unsigned long long>(items), kept.c_str());
  }
  t0 = std::chrono::steady_clock::now();
  remove_db(path);
  std::filesystem::copy_file(kept, path);
  std::printf("copied for this run in %.1f s\n", seconds_since(t0));
  auto store = std::move(*store::open_sqlite(path));
  auto recalls = std::move(*store::open_sqlite_recalls(path));

  trace::RecallDefinition d;
  d.gtin = "09520123456788";
  d.lots = {"LOT3"};
  d.reason = "benchmark";
  t0 = std::chrono::steady_clock::now();
  auto created = trace::create_recall(*store, *recalls, d);
  if (!created) {
    std::fprintf(stderr, "recall failed: %s\n", created.error().message.c_str());
    return 1;
  }
  double create_s = seconds_since(t0);
  std::printf(
      "recall create (find + mark): %zu affected of %llu items, %zu marked, %.2f s (%.0f "
      "items/s)\n",
      created->second.members, static_cast<unsigned long long>(items), created->second.newly_marked,
      create_s, static_cast<double>(created->second.members) / create_s);
  t0 = std::chrono::steady_clock::now();
  auto again = trace::run_recall(*store, *recalls, created->first.id);
  std::printf("recall run again (idempotent, marks %zu): %.2f s\n", again ? again->newly_marked : 0,
              seconds_since(t0));
  t0 = std::chrono::steady_clock::now();
  auto report = trace::recall_report(*store, *recalls, created->first.id);
  if (!report) return 1;
  std::printf("recall report (%zu items with containers, progress): %.2f s\n", report->items.size(),
              seconds_since(t0));
  store.reset();
  recalls.reset();
  remove_db(path);
  return 0;
}
