// libFuzzer target: EPCIS XML documents. What decodes must encode to XML that decodes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "epcis/xml_codec.h"

using namespace serialtrack::epcis;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto doc = decode_xml(in);
  if (!doc) return 0;
  auto again = decode_xml(encode_xml(*doc));
  if (!again) abort();
  return 0;
}
