// libFuzzer target: an EPCIS document accepted in one binding must be answerable in the
// other (a query answers in the format the client asks, whatever the capture's was):
// what decodes from JSON must encode to XML that decodes, and what decodes from XML must
// encode to JSON that decodes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "epcis/json_codec.h"
#include "epcis/xml_codec.h"

using namespace serialtrack::epcis;

namespace {

// The other binding's text must decode, to as many events (none dropped on the way).
template <class Decode>
void must_decode(Decode decode, const std::string& text, size_t events, const char* what) {
  auto again = decode(text);
  if (!again) {
    std::fprintf(stderr, "%s does not decode: %s (event %ld, field '%s')\n%s\n", what,
                 again.error().message.c_str(), again.error().event_index,
                 again.error().field.c_str(), text.c_str());
    abort();
  }
  if (again->events.size() == events) return;
  std::fprintf(stderr, "%s decodes to %zu events, not %zu\n%s\n", what, again->events.size(),
               events, text.c_str());
  abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto doc = decode_json(in)) {
    if (doc->creation_date == std::nullopt) doc->creation_date = Timestamp{};
    must_decode([](const std::string& t) { return decode_xml(t); }, encode_xml(*doc),
                doc->events.size(), "the XML of a JSON document");
  }
  if (auto doc = decode_xml(in)) {
    must_decode([](const std::string& t) { return decode_json(t); }, encode_json(*doc),
                doc->events.size(), "the JSON of an XML document");
  }
  return 0;
}
