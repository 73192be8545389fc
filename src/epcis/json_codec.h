// EPCIS 2.0 JSON / JSON-LD binding (EPCIS 2.0 §9.3, the EPCIS JSON Schema and JSON-LD
// context): decoding into the event model of event.h and encoding back.
//
// Decodes an EPCISDocument (epcisHeader.epcisMasterData.vocabularyList,
// epcisBody.eventList), an EPCISQueryDocument (epcisBody.queryResults: queryName,
// subscriptionID, resultsBody.eventList / vocabularyList) or one bare event (a capture of
// a single event: a Document of kind kEpcisDocument holding it, creation_date absent).
// "@context" must be present: the standard context URL (any string is accepted) plus
// objects declaring namespace prefixes ({"example": "https://ns.example.com/epcis/"}),
// which become Document::namespaces in order; JSON-LD term definitions whose value is an
// object are not kept. User extensions ("prefix:name" or full-IRI keys) at event, ilmd,
// readPoint/bizLocation, errorDeclaration, sensorElement, sensorMetadata and sensorReport
// level become Extension trees: JSON arrays become repeated fields with in_array set;
// numbers keep their value (written back in shortest form, "23.0" -> 23); empty arrays
// and arrays nested directly in arrays are not representable and are dropped / rejected.
// An extension's prefix and local name must be XML names (it is an element in the XML
// binding); a prefix @context does not declare is a URI scheme (namespace "prefix:").
// Extensions without a namespace (EPCIS 1.2 XML's unqualified <extension> content)
// have no JSON-LD form and are not written. Numbers beyond the double range are
// rejected. persistentDisposition is accepted on every event type (the XSD's rule; the
// JSON Schema has it on Object and Transformation events only), and a sensorReport
// without type when it reports an exception (GS1's SensorDataExamples.xml).
//
// CBV values are held in their canonical form (cbv.h expand_cbv) and written back as
// bare words (compact_cbv); custom CURIEs ("example:x") are kept as written.
// Identifiers are kept as the document gave them; the encoder converts them per
// JsonOptions::epc_format (identifiers.h). Timestamps keep the offset they were written
// in; eventTime takes eventTimeZoneOffset as its offset and is written in it.
//
// Dropped on decode (not in the model): document "id", "sender", "receiver",
// "instanceIdentifier", other epcisHeader members and document-level extensions.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "epcis/error.h"
#include "epcis/event.h"
#include "epcis/identifiers.h"

namespace serialtrack::gs1 {
class GcpLengthTable;
}

namespace serialtrack::epcis {

// The EPCIS 2.0 JSON-LD context URL written by the encoder (EPCIS 2.0 §9.3).
inline constexpr std::string_view kEpcisContextUrl =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

struct JsonOptions {
  // The form identifiers are written in. No_Preference (as captured) by default, so that
  // decode -> encode changes nothing; the HTTP layer passes the client's GS1-EPC-Format
  // (whose own default is Always_GS1_Digital_Link, EPCIS 2.0 §12.5).
  EpcFormat epc_format = EpcFormat::kNoPreference;
  const gs1::GcpLengthTable* gcp_table = nullptr;  // for DL -> URN; may be null
  bool pretty = false;                             // indented with two spaces, one member per line
};

// Decodes a JSON/JSON-LD EPCIS document or single event. Errors (all ValidationException
// but kUnsupportedFormat for text that is not JSON, with line/column): unknown document
// or event type, missing required field, wrong JSON type, malformed timestamp or offset,
// invalid URI or EPC URN, non-standard CBV bare word, action on a TransformationEvent,
// persistentDisposition or ilmd where EPCIS 2.0 §7.4 does not allow them, unknown
// unprefixed field... Error::event_index is the event's index in its list (-1 for the
// document) and Error::field the path inside it ("quantityList[0].quantity").
Result<Document> decode_json(std::string_view text);

// The document as EPCIS 2.0 JSON-LD. An EPCISDocument without creation_date gets the
// current time (the JSON Schema requires it); a kMasterDataDocument is written as an
// EPCISDocument whose header holds the master data. Never fails: identifiers that
// cannot be converted are written as they are.
std::string encode_json(const Document& doc, const JsonOptions& options = {});

// One event as a standalone JSON-LD object with its own "@context" (the standard URL and
// the given namespace prefixes): the bare-event capture form.
std::string encode_event_json(
    const Event& event, const JsonOptions& options = {},
    const std::vector<std::pair<std::string, std::string>>& namespaces = {});

}  // namespace serialtrack::epcis
