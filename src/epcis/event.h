// The EPCIS 2.0 event model (GS1 EPCIS 2.0 §7.4): the five event types with every
// standard field, and user extensions kept exactly. A plain value type shared by the
// JSON-LD and XML codecs (json_codec.h, xml_codec.h), the event hash (event_hash.h)
// and the store. Identifiers (EPCs, classes, locations, parties) are held as the
// document gave them (EPC URN or GS1 Digital Link URI); identifiers.h normalises.
// CBV values (bizStep, disposition, types...) are held in their full URI form
// ("urn:epcglobal:cbv:bizstep:shipping"); cbv.h maps bare words to and from it.
// Not thread-safe for concurrent mutation, like any value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace serialtrack::epcis {

// An instant with the time-zone offset it was written in (EPCIS 2.0 §7.3.2:
// eventTime plus eventTimeZoneOffset). Nanosecond precision; offset in minutes.
struct Timestamp {
  int64_t unix_nanos = 0;      // since 1970-01-01T00:00:00Z
  int16_t offset_minutes = 0;  // the offset the time was written with (+01:00 = 60)
  bool operator==(const Timestamp&) const = default;
};

// A user extension (EPCIS 2.0 §7.1.2, §9.2): an element/property in a namespace other
// than EPCIS's, with a text value or nested fields. JSON-LD writes it "prefix:name";
// XML as an element in its namespace. A JSON array becomes repeated fields with
// `in_array` set, so both syntaxes round-trip.
struct Extension {
  enum class Kind : uint8_t { kString, kNumber, kBoolean, kObject, kNull };
  std::string ns;      // namespace URI ("https://ns.example.com/epcis/")
  std::string prefix;  // prefix as declared in the document ("example")
  std::string name;    // local name ("myField")
  Kind kind = Kind::kString;
  std::string value;                // text of a string/number/boolean, as written
  std::vector<Extension> children;  // fields of an object
  bool in_array = false;            // came from (and goes back to) a JSON array
  // XML attributes on the element (namespace URI, local name, value), in order.
  struct Attribute {
    std::string ns, prefix, name, value;
    bool operator==(const Attribute&) const = default;
  };
  std::vector<Attribute> attributes;
  bool operator==(const Extension&) const = default;
};

// A class-level quantity (EPCIS 2.0 §7.3.3.3).
struct QuantityElement {
  std::string epc_class;  // LGTIN/GTIN class URN, idpat, or DL URI
  std::optional<double> quantity;
  std::string uom;  // UN/CEFACT Rec 20 code ("KGM"); empty when absent
  bool operator==(const QuantityElement&) const = default;
};

// bizTransaction, source, destination: a typed reference (EPCIS 2.0 §7.3.5.3-4).
struct TypedRef {
  std::string type;   // CBV URI ("urn:epcglobal:cbv:btt:po", "...:sdt:owning_party"); may be empty
                      // for bizTransaction
  std::string value;  // URI of the transaction / party / location
  bool operator==(const TypedRef&) const = default;
};

struct ErrorDeclaration {
  Timestamp declaration_time;
  std::string reason;  // CBV error reason URI; empty when absent
  std::vector<std::string> corrective_event_ids;
  std::vector<Extension> extensions;
  bool operator==(const ErrorDeclaration&) const = default;
};

// EPCIS 2.0 §7.3.5.5: dispositions that persist until unset.
struct PersistentDisposition {
  std::vector<std::string> set;
  std::vector<std::string> unset;
  bool empty() const { return set.empty() && unset.empty(); }
  bool operator==(const PersistentDisposition&) const = default;
};

// Sensor data (EPCIS 2.0 §7.3.6). Every attribute optional; empty string = absent.
struct SensorMetadata {
  std::optional<Timestamp> time, start_time, end_time;
  std::string device_id, device_metadata, raw_data, data_processing_method, biz_rules;
  std::vector<Extension> extensions;
  bool operator==(const SensorMetadata&) const = default;
};

struct SensorReport {
  std::string type;       // measurement type URI (gs1:Temperature -> full URI)
  std::string exception;  // sensor alert type
  std::string device_id, device_metadata, raw_data, data_processing_method, biz_rules;
  std::optional<Timestamp> time;
  std::string microorganism, chemical_substance, coordinate_reference_system;
  std::optional<double> value, min_value, max_value, mean_value, s_dev, perc_rank, perc_value;
  std::string component;  // "x", "y", "latitude"... (CBV measurement component)
  std::string string_value;
  std::optional<bool> boolean_value;
  std::string hex_binary_value, uri_value;
  std::string uom;
  std::vector<Extension> extensions;
  bool operator==(const SensorReport&) const = default;
};

struct SensorElement {
  std::optional<SensorMetadata> metadata;
  std::vector<SensorReport> reports;
  std::vector<Extension> extensions;
  bool operator==(const SensorElement&) const = default;
};

enum class EventType : uint8_t {
  kObject,          // ObjectEvent
  kAggregation,     // AggregationEvent
  kTransaction,     // TransactionEvent
  kTransformation,  // TransformationEvent (no action)
  kAssociation,     // AssociationEvent
};

enum class Action : uint8_t { kNone, kAdd, kObserve, kDelete };

// One EPCIS event. Which fields apply depends on the type (EPCIS 2.0 §7.4):
//   epc_list           ObjectEvent/TransactionEvent epcList; Aggregation/Association childEPCs
//   quantity_list      ObjectEvent/TransactionEvent quantityList; Aggregation/Association
//                      childQuantityList
//   parent_id          Aggregation/Transaction/Association parentID
//   input_*/output_*   TransformationEvent
//   ilmd               ObjectEvent (action ADD) and TransformationEvent
struct Event {
  EventType type = EventType::kObject;
  Timestamp event_time;                  // eventTime with eventTimeZoneOffset
  std::optional<Timestamp> record_time;  // set by the repository at capture
  std::string event_id;                  // URI; a CBV 2.0 §8.9 hash when captured without one
  std::optional<ErrorDeclaration> error_declaration;

  std::string parent_id;
  std::vector<std::string> epc_list;
  std::vector<QuantityElement> quantity_list;
  std::vector<std::string> input_epc_list, output_epc_list;
  std::vector<QuantityElement> input_quantity_list, output_quantity_list;
  std::string transformation_id;

  Action action = Action::kNone;
  std::string biz_step;  // CBV URI or custom URI; empty when absent
  std::string disposition;
  PersistentDisposition persistent_disposition;
  std::string read_point;  // readPoint id
  std::vector<Extension> read_point_extensions;
  std::string biz_location;  // bizLocation id
  std::vector<Extension> biz_location_extensions;
  std::vector<TypedRef> biz_transactions;
  std::vector<TypedRef> sources;
  std::vector<TypedRef> destinations;
  std::vector<SensorElement> sensor_elements;
  std::optional<std::vector<Extension>> ilmd;   // present (maybe empty) or absent
  std::vector<std::string> certification_info;  // one or more URIs
  std::vector<Extension> extensions;            // event-level user extensions
  // An event of a type outside the five, which the EPCIS 2.0 JSON Schema admits as
  // "Extended-Event" (e.g. "example:CustomEvent"): its type as written; `type` is then
  // meaningless. Empty for the five standard types.
  std::string extension_type;
  // The namespace of extension_type (its prefix's, for a compact IRI), so that it can be
  // written where the document that declared the prefix is gone (a query result).
  std::string extension_type_ns;

  bool operator==(const Event&) const = default;
};

// "ObjectEvent"... and back; nullopt for an unknown name.
std::string_view event_type_name(EventType type);
std::optional<EventType> event_type_from_name(std::string_view name);
// "ADD", "OBSERVE", "DELETE" ("" for kNone) and back.
std::string_view action_name(Action action);
std::optional<Action> action_from_name(std::string_view name);

// An EPCIS document's master data (EPCIS 2.0 §7.5, the header's vocabularyList, or an
// EPCISMasterDataDocument): vocabulary elements with attributes and children.
struct VocabularyElement {
  std::string id;                                               // URI of the location/party/product
  std::vector<std::pair<std::string, std::string>> attributes;  // attribute URI -> value text
  std::vector<std::string> children;                            // child ids (location hierarchy)
  bool operator==(const VocabularyElement&) const = default;
};
struct Vocabulary {
  std::string
      type;  // "urn:epcglobal:epcis:vtype:BusinessLocation", ":ReadPoint", ":EPCClass", ":Party"...
  std::vector<VocabularyElement> elements;
  bool operator==(const Vocabulary&) const = default;
};

// A whole document: EPCISDocument (capture), EPCISQueryDocument (query results) or
// EPCISMasterDataDocument.
struct Document {
  enum class Kind : uint8_t { kEpcisDocument, kQueryDocument, kMasterDataDocument };
  Kind kind = Kind::kEpcisDocument;
  std::string schema_version = "2.0";
  std::optional<Timestamp> creation_date;
  std::string query_name;       // query documents: queryName
  std::string subscription_id;  // query documents: subscriptionID, when present
  // Namespaces declared by the document beyond EPCIS's own: prefix -> URI, in order.
  std::vector<std::pair<std::string, std::string>> namespaces;
  std::vector<Vocabulary> master_data;
  std::vector<Event> events;
  bool operator==(const Document&) const = default;
};

}  // namespace serialtrack::epcis
