// libFuzzer target: EPC pure-identity, class and tag URIs. What parses must format
// back to a URI that parses to the same EPC.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gs1/epc.h"

using namespace serialtrack::gs1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto epc = parse_epc_uri(in)) {
    auto again = parse_epc_uri(to_epc_uri(*epc));
    if (!again || !(*again == *epc)) abort();
    (void)to_ai_data(*epc);
  }
  if (auto tag = parse_tag_uri(in)) {
    auto again = parse_tag_uri(to_tag_uri(*tag));
    if (!again || !(*again == *tag)) abort();
    auto hex = encode_epc_hex(*tag);
    if (!hex) abort();  // a valid tag URI always fits its binary scheme
    auto back = decode_epc_hex(*hex);
    if (!back || !(back->epc == tag->epc)) abort();
  }
  return 0;
}
