// libFuzzer target: scan data with AIM symbology identifiers.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gs1/scan_data.h"

using namespace serialtrack::gs1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ScanData out;
  if (auto e = parse_scan_data_into(in, out)) {
    if (e->position > in.size()) abort();
    return 0;
  }
  // What a reader sent, we can generate again from its symbology and message.
  auto again = to_scan_data(out.symbology, out.message);
  if (!again) abort();
  ScanData back;
  if (parse_scan_data_into(*again, back) || back.message != out.message) abort();
  return 0;
}
