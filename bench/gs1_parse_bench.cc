// Parse + full validation throughput of every GS1 input form, on the 2,000 items of
// ../shared/testdata/gs1/bench_corpus.tsv (the corpus GS1's gs1-syntax-engine was
// measured on), replayed for as many iterations as the benchmark needs (>= 1M).
// Targets: >= 5M bracketed element strings/s and >= 2M Digital Link URIs/s per core.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "gs1/epc.h"
#include "gs1/identify.h"
#include "gs1/scan_data.h"

namespace {

using namespace serialtrack::gs1;

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[++i];
    } else {
      out += s[i];
    }
  }
  return out;
}

// Column `col` of a TSV file of the shared test data, unescaped.
std::vector<std::string> column(const std::string& file, size_t col) {
  std::ifstream in(std::string(SERIALTRACK_SHARED_TESTDATA) + "/gs1/" + file);
  std::vector<std::string> v;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) { header = false; continue; }
    size_t start = 0;
    for (size_t c = 0; c < col; ++c) start = line.find('\t', start) + 1;
    v.push_back(unescape(line.substr(start, line.find('\t', start) - start)));
  }
  return v;
}

const std::vector<std::string>& corpus(size_t col) {
  static std::vector<std::vector<std::string>> cols = {
      column("bench_corpus.tsv", 0), column("bench_corpus.tsv", 1),
      column("bench_corpus.tsv", 2), column("bench_corpus.tsv", 3)};
  return cols[col];
}

template <typename Parse>
void run(benchmark::State& state, const std::vector<std::string>& inputs, Parse&& parse) {
  if (inputs.empty()) {
    state.SkipWithError("skipped: ../shared/testdata/gs1/bench_corpus.tsv not found");
    return;
  }
  AiData data;
  size_t i = 0, failures = 0;
  for (auto _ : state) {
    failures += parse(inputs[i], data) ? 1 : 0;
    benchmark::DoNotOptimize(data);
    if (++i == inputs.size()) i = 0;
  }
  if (failures != 0) state.SkipWithError("corpus items failed to parse");
  state.SetItemsProcessed(state.iterations());
}

void BM_Bracketed(benchmark::State& state) {
  run(state, corpus(0), [](const std::string& s, AiData& d) {
    return parse_bracketed_into(s, d).has_value();
  });
}
void BM_Unbracketed(benchmark::State& state) {
  run(state, corpus(1), [](const std::string& s, AiData& d) {
    return parse_unbracketed_into(s, d).has_value();
  });
}
void BM_DigitalLink(benchmark::State& state) {
  run(state, corpus(2), [](const std::string& s, AiData& d) {
    return parse_digital_link_into(s, d).has_value();
  });
}
void BM_ScanData(benchmark::State& state) {
  ScanData scan;
  run(state, corpus(3), [&](const std::string& s, AiData&) {
    return parse_scan_data_into(s, scan).has_value();
  });
}
// The one entry point, which also recognises the form and owns its result.
void BM_IdentifyAnyForm(benchmark::State& state) {
  std::vector<std::string> mixed;
  for (size_t c = 0; c < 4; ++c)
    for (const auto& s : corpus(c)) mixed.push_back(s);
  run(state, mixed, [](const std::string& s, AiData&) { return !identify(s).ok(); });
}
void BM_EpcHexDecode(benchmark::State& state) {
  auto hex = column("epc_binary.tsv", 1);
  size_t i = 0;
  for (auto _ : state) {
    auto r = decode_epc_hex(hex[i]);
    benchmark::DoNotOptimize(r);
    if (++i == hex.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Bracketed)->MinTime(1.0);
BENCHMARK(BM_Unbracketed)->MinTime(1.0);
BENCHMARK(BM_DigitalLink)->MinTime(1.0);
BENCHMARK(BM_ScanData)->MinTime(1.0);
BENCHMARK(BM_IdentifyAnyForm)->MinTime(1.0);
BENCHMARK(BM_EpcHexDecode)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
