// libFuzzer target: EPCIS JSON-LD documents. What decodes must encode and decode
// again to an equal document.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "epcis/json_codec.h"

using namespace serialtrack::epcis;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto doc = decode_json(in);
  if (!doc) return 0;
  if (doc->creation_date == std::nullopt) doc->creation_date = Timestamp{};
  std::string text = encode_json(*doc);
  auto again = decode_json(text);
  if (!again) {
    // Say what the encoder wrote and why it does not decode before the crash report.
    std::fprintf(stderr, "re-encoded document does not decode: %s (field '%s')\n%s\n",
                 again.error().message.c_str(), again.error().field.c_str(), text.c_str());
    abort();
  }
  return 0;
}
