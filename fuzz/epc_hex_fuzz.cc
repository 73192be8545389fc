// libFuzzer target: EPC binary (hex). What decodes must re-encode to the same EPC.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gs1/epc.h"

using namespace serialtrack::gs1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto tag = decode_epc_hex(in);
  if (!tag) return 0;
  auto hex = encode_epc_hex(*tag);
  if (!hex) abort();
  auto again = decode_epc_hex(*hex);
  if (!again || !(again->epc == tag->epc) || again->filter != tag->filter) abort();
  (void)to_tag_uri(*tag);
  return 0;
}
