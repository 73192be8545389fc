// Serials per second per core: FF1 for a 12-digit numeric and a 20-character CSET 82
// format (target >= 2,000,000/s), FF3-1, sequential, and random with a duplicate check
// against an in-memory set of issued serials and against the range store (FF1 through
// the range store beside it). The random benchmarks also report ff1_per_random: how many FF1
// serials (batched, same format) are made in the time of one random serial. AES rows show what one
// OpenSSL call costs, alone and for 32 blocks.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "crypto/aes.h"
#include "serial/format.h"
#include "serial/generator.h"
#include "store/serial_ranges.h"

namespace {

using namespace serialtrack::serial;

const std::vector<std::uint8_t> kKey(32, 0x42);  // AES-256, the strongest and slowest
const std::vector<std::uint8_t> kTweak = serial_tweak("09520123456788");
constexpr std::size_t kBatch = 256;

Format format_of(std::string_view alphabet, std::size_t length) {
  return std::move(*Format::create(alphabet, length));
}

std::unique_ptr<Generator> ff1(std::string_view alphabet, std::size_t length) {
  return std::move(*make_ff1_generator(format_of(alphabet, length), kKey, kTweak));
}

void one_by_one(benchmark::State& state, const Generator& gen) {
  SerialBuffer out;
  std::uint64_t counter = 0;
  for (auto _ : state) {
    gen.serial_into(counter++, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

void batched(benchmark::State& state, const Generator& gen) {
  std::vector<SerialBuffer> out(kBatch);
  std::uint64_t counter = 0;
  for (auto _ : state) {
    gen.serials_into(counter, out);
    counter += kBatch;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_Ff1_Numeric12(benchmark::State& state) {
  one_by_one(state, *ff1(kNumeric, 12));
}
void BM_Ff1_Numeric12_Batched(benchmark::State& state) {
  batched(state, *ff1(kNumeric, 12));
}
void BM_Ff1_Cset82_20(benchmark::State& state) {
  one_by_one(state, *ff1(kCset82, 20));
}
void BM_Ff1_Cset82_20_Batched(benchmark::State& state) {
  batched(state, *ff1(kCset82, 20));
}
void BM_Ff1_Numeric12_CounterOf(benchmark::State& state) {
  auto gen = ff1(kNumeric, 12);
  std::vector<std::string> serials;
  for (std::uint64_t k = 0; k < 4096; ++k) serials.push_back(*gen->serial(k));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(gen->counter_of(serials[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}

void BM_Ff3_1_Numeric12(benchmark::State& state) {
  const std::vector<std::uint8_t> tweak(7, 0x5A);
  one_by_one(state, **make_ff3_1_generator(format_of(kNumeric, 12), kKey, tweak));
}

void BM_Sequential_Numeric12(benchmark::State& state) {
  one_by_one(state, **make_sequential_generator(format_of(kNumeric, 12), 0, 1));
}

// Random serials, each checked against (and added to) a set of the serials issued so far,
// as an application without FPE must. The set is refilled from empty every 2M serials.
void BM_Random_Numeric12_DuplicateCheck(benchmark::State& state) {
  const Format format = format_of(kNumeric, 12);
  auto random = *RandomGenerator::create(format);
  std::unordered_set<std::string> issued;
  issued.reserve(2000000);
  auto already_issued = [&](std::string_view s) { return issued.count(std::string(s)) > 0; };
  SerialBuffer out;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    random.next_into(already_issued, out);
    issued.emplace(out.view());
    if (issued.size() == 2000000) {
      state.PauseTiming();
      issued.clear();
      state.ResumeTiming();
    }
  }
  double random_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.SetItemsProcessed(state.iterations());

  // The FF1 rate for the same format, measured here so the ratio is of one run.
  auto gen = ff1(kNumeric, 12);
  std::vector<SerialBuffer> batch(kBatch);
  constexpr std::uint64_t kFf1Serials = 2000000;
  auto ff1_start = std::chrono::steady_clock::now();
  for (std::uint64_t c = 0; c < kFf1Serials; c += kBatch) gen->serials_into(c, batch);
  double ff1_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ff1_start).count();
  double random_rate = static_cast<double>(state.iterations()) / random_seconds;
  double ff1_rate = kFf1Serials / ff1_seconds;
  state.counters["ff1_per_random"] = ff1_rate / random_rate;
  state.counters["collisions"] = static_cast<double>(random.collisions());
}

// Through the range store (store/serial_ranges.h, a fresh SQLite file per run): one
// allocation of 10,000 serials per iteration. FF1 writes one counter update; random draws
// each serial and looks it up in, then inserts it into, serial_random_issued.
std::unique_ptr<serialtrack::store::SerialRanges> fresh_ranges(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("serial_bench_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto r = serialtrack::store::open_sqlite_serial_ranges((dir / "ranges.db").string());
  if (!r) std::abort();
  serialtrack::store::SerialFormatRecord numeric12{"num12", std::string(kNumeric), 12,
                                                   "",      CheckCharacter::none,  0};
  if (!(*r)->add_format(numeric12)) std::abort();
  return std::move(*r);
}

constexpr std::uint64_t kPerAllocation = 10000;

double allocate_through_store(benchmark::State& state, Scheme scheme) {
  auto ranges = fresh_ranges(std::string(scheme_name(scheme)));
  serialtrack::store::AllocationRequest req;
  req.gtin = "09520123456788";
  req.count = kPerAllocation;
  req.format = "num12";
  req.scheme = scheme;
  std::uint64_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto a = ranges->allocate(req, [&](std::string_view s) { bytes += s.size(); });
    if (!a) state.SkipWithError(a.error().message.c_str());
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations() * kPerAllocation);
  return static_cast<double>(state.iterations() * kPerAllocation) / seconds;
}

double g_ff1_store_rate = 0;

void BM_Ff1_Numeric12_ThroughRangeStore(benchmark::State& state) {
  g_ff1_store_rate = allocate_through_store(state, Scheme::ff1);
}

void BM_Random_Numeric12_DuplicateCheckAgainstStore(benchmark::State& state) {
  double random_rate = allocate_through_store(state, Scheme::random);
  if (g_ff1_store_rate > 0) state.counters["ff1_per_random"] = g_ff1_store_rate / random_rate;
}

void BM_Aes256_OneBlockPerCall(benchmark::State& state) {
  auto aes = *serialtrack::crypto::Aes::create(kKey);
  alignas(16) std::uint8_t block[16] = {1};
  for (auto _ : state) {
    aes.encrypt_block(block, block);  // chained: measures latency plus call overhead
    benchmark::DoNotOptimize(block);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Aes256_32BlocksPerCall(benchmark::State& state) {
  auto aes = *serialtrack::crypto::Aes::create(kKey);
  alignas(16) std::uint8_t blocks[32 * 16] = {1};
  for (auto _ : state) {
    aes.encrypt_blocks(blocks, blocks, 32);
    benchmark::DoNotOptimize(blocks);
  }
  state.SetItemsProcessed(state.iterations() * 32);
}

BENCHMARK(BM_Ff1_Numeric12);
BENCHMARK(BM_Ff1_Numeric12_Batched);
BENCHMARK(BM_Ff1_Cset82_20);
BENCHMARK(BM_Ff1_Cset82_20_Batched);
BENCHMARK(BM_Ff1_Numeric12_CounterOf);
BENCHMARK(BM_Ff3_1_Numeric12);
BENCHMARK(BM_Sequential_Numeric12);
BENCHMARK(BM_Random_Numeric12_DuplicateCheck);
BENCHMARK(BM_Ff1_Numeric12_ThroughRangeStore)->UseRealTime();
BENCHMARK(BM_Random_Numeric12_DuplicateCheckAgainstStore)->UseRealTime();
BENCHMARK(BM_Aes256_OneBlockPerCall);
BENCHMARK(BM_Aes256_32BlocksPerCall);

}  // namespace

BENCHMARK_MAIN();
