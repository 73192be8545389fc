// EPCIS 2.0 JSON-LD codec: what decodes into which field, what is written back, and each
// class of decoding error with the event and field path it names.
#include "epcis/json_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "epcis/xml_codec.h"

namespace serialtrack::epcis {
namespace {

// A document around one event's members (JSON text without braces).
std::string doc_with(const std::string& event_members) {
  return R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                          {"example": "https://ns.example.com/epcis/"}],
             "type": "EPCISDocument", "schemaVersion": "2.0",
             "creationDate": "2024-01-01T00:00:00Z",
             "epcisBody": {"eventList": [{)" +
         event_members + "}]}}";
}

const std::string kObject =
    R"("type": "ObjectEvent", "eventTime": "2024-03-01T10:00:00.5+01:00",
       "eventTimeZoneOffset": "+01:00", "action": "OBSERVE",
       "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"])";

Error decode_error(const std::string& text) {
  auto r = decode_json(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? Error{} : r.error();
}

TEST(JsonCodec, DecodesAnObjectEventWithCbvValuesExpanded) {
  auto r = decode_json(doc_with(kObject + R"(, "bizStep": "shipping", "disposition": "in_transit",
      "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
      "bizTransactionList": [{"type": "po", "bizTransaction": "http://t.example.com/po/1"}],
      "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:0614141.00000"}])"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->events.size(), 1u);
  const Event& e = r->events[0];
  EXPECT_EQ(e.type, EventType::kObject);
  EXPECT_EQ(e.action, Action::kObserve);
  EXPECT_EQ(e.biz_step, "urn:epcglobal:cbv:bizstep:shipping");
  EXPECT_EQ(e.disposition, "urn:epcglobal:cbv:disp:in_transit");
  EXPECT_EQ(e.biz_transactions.at(0).type, "urn:epcglobal:cbv:btt:po");
  EXPECT_EQ(e.sources.at(0).type, "urn:epcglobal:cbv:sdt:owning_party");
  EXPECT_EQ(e.event_time.offset_minutes, 60);
  ASSERT_EQ(r->namespaces.size(), 1u);
  EXPECT_EQ(r->namespaces[0].first, "example");
}

TEST(JsonCodec, EncodesCbvValuesAsBareWordsAndEventTimeInItsOwnOffset) {
  auto r = decode_json(doc_with(
      R"("type": "ObjectEvent", "eventTime": "2024-03-01T09:00:00Z", "eventTimeZoneOffset": "-05:00",
         "action": "OBSERVE", "epcList": [], "bizStep": "urn:epcglobal:cbv:bizstep:receiving")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string out = encode_json(*r);
  EXPECT_NE(out.find(R"("bizStep":"receiving")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("eventTime":"2024-03-01T04:00:00-05:00")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("eventTimeZoneOffset":"-05:00")"), std::string::npos) << out;
}

TEST(JsonCodec, CustomCbvValuesAreKept) {
  auto r =
      decode_json(doc_with(kObject + R"(, "bizStep": "https://ns.example.com/bizstep/brewing")"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->events[0].biz_step, "https://ns.example.com/bizstep/brewing");
  EXPECT_NE(encode_json(*r).find("https://ns.example.com/bizstep/brewing"), std::string::npos);
}

TEST(JsonCodec, ExtensionsKeepTheirNamespaceKindAndArrays) {
  auto r = decode_json(doc_with(kObject + R"(, "example:myField": "text",
      "example:n": 12.5, "example:flag": true,
      "example:list": ["a", {"example:inner": "b"}],
      "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234", "example:rp": "x"})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& ext = r->events[0].extensions;
  ASSERT_EQ(ext.size(), 5u);
  EXPECT_EQ(ext[0].ns, "https://ns.example.com/epcis/");
  EXPECT_EQ(ext[0].prefix, "example");
  EXPECT_EQ(ext[0].name, "myField");
  EXPECT_EQ(ext[1].kind, Extension::Kind::kNumber);
  EXPECT_EQ(ext[1].value, "12.5");
  EXPECT_EQ(ext[2].kind, Extension::Kind::kBoolean);
  EXPECT_TRUE(ext[3].in_array && ext[4].in_array);
  EXPECT_EQ(ext[4].kind, Extension::Kind::kObject);
  EXPECT_EQ(r->events[0].read_point_extensions.at(0).name, "rp");
  std::string out = encode_json(*r);
  EXPECT_NE(out.find(R"("example:list":["a",{"example:inner":"b"}])"), std::string::npos) << out;
  auto again = decode_json(out);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *r);
}

TEST(JsonCodec, BareEventIsADocumentOfOneEvent) {
  auto r = decode_json(R"({"@context": "https://gs1.github.io/EPCIS/epcis-context.jsonld", )" +
                       kObject + "}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->events.size(), 1u);
  EXPECT_FALSE(r->creation_date);
  auto again = decode_json(encode_event_json(r->events[0]));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *r);
}

TEST(JsonCodec, QueryDocumentKeepsQueryNameAndSubscription) {
  auto r =
      decode_json(R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      "type": "EPCISQueryDocument", "schemaVersion": "2.0", "creationDate": "2024-01-01T00:00:00Z",
      "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "subscriptionID": "s1",
        "resultsBody": {"eventList": [{)" +
                  kObject + "}]}}}}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, Document::Kind::kQueryDocument);
  EXPECT_EQ(r->query_name, "SimpleEventQuery");
  EXPECT_EQ(r->subscription_id, "s1");
  auto again = decode_json(encode_json(*r, {.pretty = true}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *r);
}

TEST(JsonCodec, EncodesIdentifiersAsDigitalLinkWhenAsked) {
  auto r = decode_json(doc_with(kObject));
  ASSERT_TRUE(r.ok());
  JsonOptions opt;
  opt.epc_format = EpcFormat::kAlwaysDigitalLink;
  EXPECT_NE(encode_json(*r, opt).find("https://id.gs1.org/01/10614141073464/21/2017"),
            std::string::npos);
  EXPECT_NE(encode_json(*r).find("urn:epc:id:sgtin:0614141.107346.2017"), std::string::npos);
}

// --- each class of decoding error, with its event index and field path -----------------

TEST(JsonCodecErrors, NotJsonSaysWhereWithLineAndColumn) {
  Error e = decode_error("{\n  \"type\": ,\n}");
  EXPECT_EQ(e.kind, ErrorKind::kUnsupportedFormat);
  EXPECT_EQ(e.line, 2u);
}

TEST(JsonCodecErrors, MissingContext) {
  Error e = decode_error(R"({"type": "EPCISDocument", "epcisBody": {"eventList": []}})");
  EXPECT_EQ(e.field, "@context");
}

TEST(JsonCodecErrors, UnknownEventType) {
  Error e = decode_error(doc_with(R"("type": "ObjectEventX", "eventTime": "2024-01-01T00:00:00Z",
                                     "eventTimeZoneOffset": "+00:00")"));
  EXPECT_EQ(e.event_index, 0);
  EXPECT_EQ(e.field, "type");
}

TEST(JsonCodecErrors, MissingEventTimeOffsetOrAction) {
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTimeZoneOffset": "+00:00",
      "action": "ADD", "epcList": [])"))
                .field,
            "eventTime");
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "action": "ADD", "epcList": [])"))
                .field,
            "eventTimeZoneOffset");
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "epcList": [])"))
                .field,
            "action");
}

TEST(JsonCodecErrors, MalformedTimeAndOffset) {
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "22-07-2026",
      "eventTimeZoneOffset": "+00:00", "action": "ADD", "epcList": [])"))
                .field,
            "eventTime");
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "UTC", "action": "ADD", "epcList": [])"))
                .field,
            "eventTimeZoneOffset");
}

TEST(JsonCodecErrors, QuantityElementWithoutEpcClassOrWithTextQuantity) {
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD", "quantityList": [{"quantity": 2}])"))
                .field,
            "quantityList[0].epcClass");
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD",
      "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": "two"}])"))
                .field,
            "quantityList[0].quantity");
}

TEST(JsonCodecErrors, WrongJsonType) {
  Error e =
      decode_error(doc_with(kObject + R"(, "readPoint": "urn:epc:id:sgln:0614141.07346.1234")"));
  EXPECT_EQ(e.field, "readPoint");
  EXPECT_NE(e.message.find("object"), std::string::npos);
}

TEST(JsonCodecErrors, InvalidUriAndInvalidEpcUrn) {
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "eventID": "not a uri")")).field, "eventID");
  EXPECT_EQ(decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD",
      "epcList": ["urn:epc:id:sgtin:0614141.107346.1", "urn:epc:id:sgtin:0614141.1073466.2"])"))
                .field,
            "epcList[1]");
}

TEST(JsonCodecErrors, ActionOnATransformationEvent) {
  Error e =
      decode_error(doc_with(R"("type": "TransformationEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD",
      "inputEPCList": ["urn:epc:id:sgtin:0614141.107346.1"],
      "outputEPCList": ["urn:epc:id:sgtin:0614141.107346.2"])"));
  EXPECT_EQ(e.field, "action");
}

TEST(JsonCodec, PersistentDispositionOnAnAggregationEventIsKeptAsTheXsdAllows) {
  // The JSON Schema allows it only in Object and Transformation events; the EPCIS 2.0
  // XSD and GS1's XML example (Example-PersistentDisposition.xml) in an AggregationEvent:
  // such an event captured as XML must be answerable as JSON.
  auto r = decode_json(doc_with(R"("type": "AggregationEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "DELETE",
      "parentID": "urn:epc:id:sscc:0614141.1234567890",
      "childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"],
      "persistentDisposition": {"set": ["completeness_verified"]})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->events[0].persistent_disposition.set.size(), 1u);
  EXPECT_EQ(r->events[0].persistent_disposition.set[0],
            "urn:epcglobal:cbv:disp:completeness_verified");
  auto again = decode_json(encode_json(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->events, r->events);
}

TEST(JsonCodecErrors, IlmdOnlyWithAdd) {
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "ilmd": {"example:lot": "1"})")).field, "ilmd");
}

TEST(JsonCodecErrors, NonStandardBareCbvWordNamesTheFieldAndEvent) {
  std::string two =
      R"({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-01-01T00:00:00Z",
      "epcisBody": {"eventList": [{)" +
      kObject + "}, {" + kObject +
      R"(, "sensorElementList": [{"sensorReport": [{"type": "Temprature"}]}]}]}})";
  Error e = decode_error(two);
  EXPECT_EQ(e.event_index, 1);
  EXPECT_EQ(e.field, "sensorElementList[0].sensorReport[0].type");
}

TEST(JsonCodecErrors, UnprefixedUnknownFieldIsRejected) {
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "myField": 1)")).field, "myField");
}

TEST(JsonCodecErrors, TransactionEventNeedsBizTransactionList) {
  EXPECT_EQ(
      decode_error(doc_with(R"("type": "TransactionEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD", "epcList": [])"))
          .field,
      "bizTransactionList");
}

TEST(JsonCodecFuzzFindings, AnExtensionKeyWithAnEmptyPrefixIsRejected) {
  // Found by fuzzing: ":bizStep" decoded as an extension that could not be encoded back.
  auto r =
      decode_json(R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    "type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z",
    "eventTimeZoneOffset":"+00:00","epcList":[],"action":"OBSERVE",":bizStep":"x"})");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("compact IRI"), std::string::npos) << r.error().message;
}

TEST(JsonCodecFuzzFindings, ANumberBeyondTheDoubleRangeIsRejectedNotWrittenBackAsNull) {
  // Found by fuzzing: 1e400 parsed as infinity, which JSON writes as null, so the encoded
  // document no longer decoded ("quantity must be a number, not null").
  Error q = decode_error(doc_with(R"("type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "ADD",
      "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 1e400}])"));
  EXPECT_EQ(q.field, "quantityList[0].quantity");
  EXPECT_NE(q.message.find("out of range"), std::string::npos) << q.message;
  // The same in a user extension, at any depth.
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "example:t": {"example:v": -1e999})")).field,
            "example:t.example:v");
  // The largest finite double still decodes and comes back equal.
  auto r = decode_json(doc_with(kObject + R"(, "example:v": 1.7976931348623157e308)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto again = decode_json(encode_json(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->events[0].extensions[0].value, r->events[0].extensions[0].value);
}

TEST(JsonCodecFuzzFindings, AnExtensionKeyThatIsNoXmlNameIsRejected) {
  // Found by cross-format fuzzing: "example:|array" decoded, and its XML element
  // <example:|array> was not well-formed. A user extension is an element in XML.
  for (const char* key : {"example:|array", "example:1st", "xmlns:a", "https://ex.com/"}) {
    Error e = decode_error(doc_with(kObject + ", \"" + std::string(key) + "\": 1"));
    EXPECT_EQ(e.field, key);
  }
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "example:t": {"a b": 1})")).field,
            "example:t.a b");
  // A full IRI key must be an IRI: a tab in it made an XML namespace that was none.
  Error tab = decode_error(doc_with(kObject + R"(, "ex\tample://a/b": 1)"));
  EXPECT_NE(tab.message.find("no IRI"), std::string::npos) << tab.message;
  // Names with '-', '.', '_' and digits after the first character are XML names.
  auto r = decode_json(doc_with(kObject + R"(, "example:lot-no.2_b": 1)"));
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(JsonCodec, AnExtendedEventTypeIsAnElementOfItsNamespaceInXml) {
  // GS1's schema-test-Extended-Event.json: written as XML it was an ObjectEvent without
  // an action, which did not decode.
  auto r =
      decode_json(R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
      {"example": "https://example.org/epcis/"}],
    "type": "example:CustomEvent", "eventTime": "2005-04-03T20:33:31.116-06:00",
    "eventTimeZoneOffset": "-06:00", "example:size": 3})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string xml = encode_xml(*r);
  EXPECT_NE(xml.find("<example:CustomEvent>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<example:size>3</example:size>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("ObjectEvent"), std::string::npos) << xml;
  auto again = decode_xml(xml);
  ASSERT_TRUE(again.ok()) << again.error().message;
  // Read back as the same extended event (it was skipped, so an XML capture lost it),
  // and the same again as JSON. (The number 3 is XML text: it comes back a string.)
  auto same = [&](const Document& d) {
    ASSERT_EQ(d.events.size(), 1u);
    const Event& e = d.events[0];
    EXPECT_EQ(e.extension_type, "example:CustomEvent");
    EXPECT_EQ(e.event_time, r->events[0].event_time);
    ASSERT_EQ(e.extensions.size(), 1u);
    EXPECT_EQ(e.extensions[0].ns, "https://example.org/epcis/");
    EXPECT_EQ(e.extensions[0].name, "size");
    EXPECT_EQ(e.extensions[0].value, "3");
  };
  same(*again);
  auto json = decode_json(encode_json(*again));
  ASSERT_TRUE(json.ok()) << json.error().message;
  same(*json);
  EXPECT_FALSE(
      decode_json(
          R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    "type": "example:Custom|Event", "eventTime": "2005-04-03T20:33:31Z",
    "eventTimeZoneOffset": "+00:00"})")
          .ok());
}

TEST(JsonCodec, AnXmlNumberBeyondTheDoubleRangeIsWrittenAsAString) {
  // Found by cross-format fuzzing: xsi:type="xsd:double" 1e400 was written as inf,
  // which is no JSON.
  auto xml = decode_xml(R"(<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
      xmlns:ex="https://example.org/epcis/" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
    <EPCISBody><EventList><ObjectEvent>
      <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <epcList/><action>OBSERVE</action>
      <ex:big xsi:type="xsd:double">1e400</ex:big><ex:n xsi:type="xsd:double">22</ex:n>
    </ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>)");
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  std::string json = encode_json(*xml);
  EXPECT_NE(json.find(R"("ex:big":"1e400")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("ex:n":22)"), std::string::npos) << json;
  auto again = decode_json(json);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << json;
}

TEST(JsonCodec, AnUnqualifiedEpcis12ExtensionIsNotWrittenAsABareKey) {
  // EPCIS 1.2 XML <extension><myField>: no namespace, so no JSON-LD form; the key would
  // not decode again. Inside a namespaced extension an unqualified child is written.
  auto r = decode_xml(R"(<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
      xmlns:example="https://ns.example.com/epcis/" schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
    <EPCISBody><EventList><ObjectEvent>
      <eventTime>2024-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList><action>OBSERVE</action>
      <extension><myField>x</myField></extension>
      <example:a><b>1</b></example:a>
    </ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string json = encode_json(*r);
  EXPECT_EQ(json.find("myField"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("example:a":{"b":)"), std::string::npos) << json;
  EXPECT_TRUE(decode_json(json).ok()) << json;
}

TEST(JsonCodecFuzzFindings, AnExtensionWithAnUndeclaredPrefixIsAnIriOfThatScheme) {
  // Found by cross-format fuzzing: "dxample:f" (no "dxample" in @context) was written
  // to XML as <dxample:f> without a namespace declaration, which did not decode.
  auto r = decode_json(doc_with(kObject + R"(, "dxample:f": "x")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->events[0].extensions[0].ns, "dxample:");
  std::string xml = encode_xml(*r);
  auto again = decode_xml(xml);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << xml;
  EXPECT_EQ(again->events[0].extensions[0].ns, "dxample:");
  std::string json = encode_json(*again);
  EXPECT_NE(json.find(R"("dxample:f":"x")"), std::string::npos);
  EXPECT_TRUE(decode_json(json).ok()) << json;
  // Found by fuzzing that change: an undeclared prefix that is no URI scheme ('_') gave
  // a namespace "b_x:" that @context could not declare again.
  EXPECT_EQ(decode_error(doc_with(kObject + R"(, "b_x:f": "x")")).field, "b_x:f");
}

TEST(JsonCodecFuzzFindings, AFullIriSensorExtensionIsAPrefixedAttributeInXml) {
  // Found by cross-format fuzzing: "https://ex.com/x/note" on a sensorReport was written
  // as the unprefixed attribute note, which has no namespace and is no report field.
  auto r = decode_json(doc_with(kObject + R"(, "sensorElementList": [{"sensorReport": [
      {"type": "Temperature", "value": 5, "https://ex.com/x/note": "n"}]}])"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string xml = encode_xml(*r);
  auto again = decode_xml(xml);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << xml;
  const auto& ext = again->events[0].sensor_elements[0].reports[0].extensions;
  ASSERT_EQ(ext.size(), 1u);
  EXPECT_EQ(ext[0].ns, "https://ex.com/x/");
  EXPECT_EQ(ext[0].name, "note");
}

}  // namespace
}  // namespace serialtrack::epcis
