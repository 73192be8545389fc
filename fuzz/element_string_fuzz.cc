// libFuzzer target: element strings, bracketed and unbracketed. Beyond "no crash" it
// checks the round trip: what parses re-parses from our own output to the same AIs.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gs1/ai_table.h"
#include "gs1/element_string.h"

using namespace serialtrack::gs1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Options options;
  options.permit_unknown_ais = data[0] & 1;
  options.check_requisites = data[0] & 2;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = (data[0] & 4) ? parse_unbracketed(in, options) : parse_bracketed(in, options);
  if (!r) {
    if (r.error().position > in.size()) abort();  // errors point into the input
    return 0;
  }
  std::string bracketed = to_bracketed(*r);
  auto again = parse_bracketed(bracketed, options);
  if (!again || to_bracketed(*again) != bracketed) abort();
  // An unknown AI whose length the prefix table does not give cannot be split from
  // its value in a barcode message: such data has no unbracketed round trip.
  bool splittable = true;
  for (AiElement el : *r) splittable = splittable && ai_length_for_prefix(el.ai) != 0;
  if (splittable) {
    auto message = parse_unbracketed(to_unbracketed(*r), options);
    if (!message || to_bracketed(*message) != bracketed) abort();
  }
  (void)to_hri(*r, true);
  return 0;
}
