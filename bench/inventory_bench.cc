// Inventory "stock now" query latency with N items stored (issue target: < 50 ms with
// 10 million items). Items of 10 GTINs in 5 lots are commissioned through
// trace::capture at 20 locations (two sites of 9 sub-locations each, in master data)
// in events of 10,000 EPCs; then the counts by product, by location and of one site
// with its sub-locations are asked 200 times each (median, p99), and stock at a past
// time once (a replay of every event up to then). N is the first argument (or
// SERIALTRACK_BENCH_ITEMS; default 100,000), e.g. `inventory_bench 10000000`. The loaded
// store is kept in /tmp (serialtrack_inventory_bench_<N>.db; only read here): a rerun
// skips the load.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "trace/capture.h"
#include "trace/inventory.h"

using namespace serialtrack;

namespace {

std::string location(int site, int sub) {
  return "urn:epc:id:sgln:9520123.0000" + std::to_string(site) + "." + std::to_string(sub);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

epcis::Extension lot_field(uint64_t lot) {
  epcis::Extension x;
  x.ns = "urn:epcglobal:cbv:mda";
  x.prefix = "cbvmda";
  x.name = "lotNumber";
  x.value = "LOT" + std::to_string(lot);
  return x;
}

constexpr uint64_t kPerEvent = 10'000;

void measure(const char* what, store::Store& store, store::StockCounts& counts,
             const trace::StockRequest& r) {
  std::vector<double> ms;
  uint64_t total = 0;
  for (int i = 0; i < 200; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto report = trace::stock(store, counts, r);
    ms.push_back(ms_since(t0));
    if (report) total = report->total;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-40s total %8llu  median %.3f ms  p99 %.3f ms\n", what,
              static_cast<unsigned long long>(total), ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
}

// Master data and the commissioning of the items, in a new store at path.
int load(const std::string& path, uint64_t items) {
  auto store = std::move(*store::open_sqlite(path));
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:BusinessLocation";
  for (int site = 1; site <= 2; ++site) {
    epcis::VocabularyElement e;
    e.id = location(site, 0);
    for (int sub = 1; sub <= 9; ++sub) e.children.push_back(location(site, sub));
    v.elements.push_back(std::move(e));
  }
  if (!store->put_master_data({v})) return 1;
  for (uint64_t first = 0, n = 0; first < items; first += kPerEvent, ++n) {
    epcis::Event e;
    e.type = epcis::EventType::kObject;
    e.action = epcis::Action::kAdd;
    e.event_id = "urn:uuid:inventory-bench-" + std::to_string(n);
    e.event_time = {static_cast<int64_t>(n + 1) * 1'000'000'000, 0};
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.disposition = "urn:epcglobal:cbv:disp:active";
    e.biz_location = location(1 + static_cast<int>(n % 2), static_cast<int>(n / 2 % 10));
    e.ilmd = std::vector<epcis::Extension>{lot_field(n % 5)};
    std::string product = "urn:epc:id:sgtin:9520123.04567" + std::to_string(n % 10) + ".";
    for (uint64_t s = first; s < std::min(items, first + kPerEvent); ++s)
      e.epc_list.push_back(product + std::to_string(s));
    if (auto r = trace::capture(*store, std::span(&e, 1)); !r) {
      std::fprintf(stderr, "capture failed: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = argc > 1 ? argv[1] : std::getenv("SERIALTRACK_BENCH_ITEMS");
  const uint64_t items = env ? std::strtoull(env, nullptr, 10) : 100'000;
  auto path = (std::filesystem::temp_directory_path() /
               ("serialtrack_inventory_bench_" + std::to_string(items) + ".db"))
                  .string();
  auto t0 = std::chrono::steady_clock::now();
  if (!std::filesystem::exists(path)) {
    std::string building = path + ".building";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(building + suffix);
    if (load(building, items) != 0) return 1;  // the store closes: its WAL is checkpointed
    std::filesystem::rename(building, path);
    std::printf("loaded %llu items in %.1f s, kept as %s\n", static_cast<unsigned long long>(items),
                ms_since(t0) / 1000, path.c_str());
  } else {
    std::printf("reusing %llu items loaded earlier from %s\n",
                static_cast<unsigned long long>(items), path.c_str());
  }
  auto store = std::move(*store::open_sqlite(path));
  auto counts = std::move(*store::open_sqlite_stock(path));

  trace::StockRequest by_product;
  measure("stock now by product", *store, *counts, by_product);
  trace::StockRequest by_location;
  by_location.by = {store::StockFacet::kLocation};
  measure("stock now by location", *store, *counts, by_location);
  trace::StockRequest site;
  site.filter.location = location(1, 0);
  site.by = {store::StockFacet::kProduct, store::StockFacet::kLot};
  measure("stock now of a site (sub-locations)", *store, *counts, site);

  trace::StockRequest past;
  past.as_of = static_cast<int64_t>(items / kPerEvent / 2 + 1) * 1'000'000'000;
  t0 = std::chrono::steady_clock::now();
  auto then = trace::stock(*store, *counts, past);
  std::printf("stock as of a past time (replay)          total %8llu  %.1f ms\n",
              static_cast<unsigned long long>(then ? then->total : 0), ms_since(t0));
  return 0;
}
