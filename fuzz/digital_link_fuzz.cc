// libFuzzer target: GS1 Digital Link URIs. What parses must give a canonical URI that
// parses back to the same AIs.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gs1/digital_link.h"
#include "gs1/element_string.h"

using namespace serialtrack::gs1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = parse_digital_link(in);
  if (!r) {
    if (r.error().position > in.size()) abort();
    return 0;
  }
  auto uri = to_digital_link(r->data);
  if (!uri) return 0;  // e.g. an attribute that is valid in a URI but not canonical
  auto again = parse_digital_link(*uri);
  if (!again) abort();
  auto canonical = to_digital_link(again->data);
  if (!canonical || *canonical != *uri) abort();
  return 0;
}
