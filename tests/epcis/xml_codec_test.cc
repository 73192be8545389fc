// Unit tests of the EPCIS XML codec (EPCIS 2.0 §9.3 XML binding), one behaviour each.
#include "epcis/xml_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace serialtrack::epcis;

std::string doc20(const std::string& events, const std::string& extra_ns = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" )" +
         extra_ns + R"( schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
  <EPCISBody>
    <EventList>
)" + events +
         R"(
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>)";
}

const std::string kObjectHead = R"(<ObjectEvent>
  <eventTime>2024-01-01T10:00:00.5+01:00</eventTime>
  <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
)";

Error decode_error(const std::string& xml, const XmlDecodeOptions& o = {}) {
  auto r = decode_xml(xml, o);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

TEST(XmlCodec, DecodesObjectEventFieldsAndOffset) {
  auto r = decode_xml(doc20(kObjectHead + R"(
  <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList>
  <action>OBSERVE</action>
  <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
  <readPoint><id>urn:epc:id:sgln:0614141.07346.1234</id></readPoint>
</ObjectEvent>)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->events.size(), 1u);
  const Event& e = r->events[0];
  EXPECT_EQ(e.type, EventType::kObject);
  EXPECT_EQ(e.action, Action::kObserve);
  EXPECT_EQ(e.event_time.offset_minutes, 60);
  EXPECT_EQ(e.event_time.unix_nanos, 1704099600500000000LL);
  EXPECT_EQ(e.epc_list, std::vector<std::string>{"urn:epc:id:sgtin:0614141.107346.2017"});
  EXPECT_EQ(e.read_point, "urn:epc:id:sgln:0614141.07346.1234");
}

TEST(XmlCodec, CbvBareWordsAndWebUrisNormaliseToUrns) {
  auto r = decode_xml(doc20(kObjectHead + R"(
  <epcList/>
  <action>OBSERVE</action>
  <bizStep>shipping</bizStep>
  <disposition>https://ref.gs1.org/cbv/Disp-in_transit</disposition>
</ObjectEvent>)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->events[0].biz_step, "urn:epcglobal:cbv:bizstep:shipping");
  EXPECT_EQ(r->events[0].disposition, "urn:epcglobal:cbv:disp:in_transit");
}

TEST(XmlCodec, ExtensionRoundTripKeepsNamespacePrefixAndAttributes) {
  std::string xml = doc20(kObjectHead + R"(
  <epcList/>
  <action>ADD</action>
  <ilmd><ex:lot xsi:type="xsd:string">L1</ex:lot></ilmd>
  <ex:outer ex:unit="KGM"><ex:inner xsi:type="xsd:integer">12</ex:inner><other:x>y</other:x></ex:outer>
</ObjectEvent>)",
                          R"(xmlns:ex="https://ns.example.com/epcis/" xmlns:other="urn:other" )"
                          R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
                          R"(xmlns:xsd="http://www.w3.org/2001/XMLSchema")");
  auto r = decode_xml(xml);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Event& e = r->events[0];
  ASSERT_EQ(e.extensions.size(), 1u);
  const Extension& outer = e.extensions[0];
  EXPECT_EQ(outer.ns, "https://ns.example.com/epcis/");
  EXPECT_EQ(outer.prefix, "ex");
  EXPECT_EQ(outer.name, "outer");
  EXPECT_EQ(outer.kind, Extension::Kind::kObject);
  ASSERT_EQ(outer.attributes.size(), 1u);
  EXPECT_EQ(outer.attributes[0].name, "unit");
  ASSERT_EQ(outer.children.size(), 2u);
  EXPECT_EQ(outer.children[0].kind, Extension::Kind::kNumber);  // from xsi:type
  EXPECT_EQ(outer.children[0].value, "12");
  EXPECT_EQ(outer.children[1].ns, "urn:other");
  ASSERT_TRUE(e.ilmd.has_value());
  EXPECT_EQ((*e.ilmd)[0].value, "L1");

  std::string out = encode_xml(*r);
  EXPECT_NE(out.find("xmlns:ex=\"https://ns.example.com/epcis/\""), std::string::npos) << out;
  EXPECT_NE(out.find("<ex:outer ex:unit=\"KGM\">"), std::string::npos) << out;
  auto again = decode_xml(out);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *r);
}

TEST(XmlCodec, ExtensionWithPrefixUnknownToTheRootIsDeclaredLocally) {
  Document d;
  Event e;
  e.action = Action::kObserve;
  e.event_time = Timestamp{0, 0};
  Extension x;
  x.ns = "urn:local";
  x.prefix = "loc";
  x.name = "f";
  x.value = "v";
  e.extensions.push_back(x);
  d.events.push_back(e);
  d.creation_date = Timestamp{0, 0};
  std::string out = encode_xml(d);
  EXPECT_NE(out.find("<loc:f xmlns:loc=\"urn:local\">v</loc:f>"), std::string::npos) << out;
  auto again = decode_xml(out);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->events, d.events);
}

TEST(XmlCodec, SensorForeignAttributesRoundTripAsAttributes) {
  std::string xml = doc20(kObjectHead + R"(
  <epcList/>
  <action>OBSERVE</action>
  <sensorElementList><sensorElement>
    <sensorMetadata time="2024-01-01T09:00:00Z" ex:batch="7"/>
    <sensorReport type="gs1:Temperature" value="26.5" uom="CEL" ex:note="n"/>
    <sensorReport type="RelativeHumidity" value="x"/>
  </sensorElement></sensorElementList>
</ObjectEvent>)",
                          R"(xmlns:ex="https://ns.example.com/epcis/")");
  // The second report's value is not a number: the path names it.
  Error err = decode_error(xml);
  EXPECT_EQ(err.event_index, 0);
  EXPECT_EQ(err.field, "sensorElementList[0].sensorReport[1].value");
  EXPECT_GT(err.line, 0u);

  std::string fixed = xml;
  fixed.replace(fixed.find("value=\"x\""), 9, "value=\"1\"");
  auto r = decode_xml(fixed);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const SensorElement& se = r->events[0].sensor_elements[0];
  ASSERT_TRUE(se.metadata.has_value());
  ASSERT_EQ(se.metadata->extensions.size(), 1u);
  EXPECT_EQ(se.metadata->extensions[0].name, "batch");
  EXPECT_EQ(se.reports[0].type, "https://gs1.org/voc/Temperature");
  EXPECT_EQ(se.reports[0].extensions[0].value, "n");
  std::string out = encode_xml(*r);
  EXPECT_NE(out.find("ex:note=\"n\""), std::string::npos) << out;
  auto again = decode_xml(out);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *r);
}

TEST(XmlCodec, Epcis12TransformationEventInExtensionDecodes) {
  auto r = decode_xml(R"(<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1"
    xmlns:example="http://ns.example.com/epcis" schemaVersion="1.2"
    creationDate="2013-06-04T14:59:02.099+02:00">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2013-06-04T14:59:02Z</eventTime>
      <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
      <baseExtension><eventID>urn:uuid:1</eventID></baseExtension>
      <epcList/>
      <action>ADD</action>
      <extension>
        <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass><quantity>2</quantity><uom>KGM</uom></quantityElement></quantityList>
        <ilmd><example:batch>XYZ</example:batch></ilmd>
      </extension>
    </ObjectEvent>
    <extension>
      <TransformationEvent>
        <eventTime>2013-10-31T14:58:56.591Z</eventTime>
        <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
        <inputEPCList><epc>urn:epc:id:sgtin:4012345.011122.25</epc></inputEPCList>
        <outputEPCList><epc>urn:epc:id:sgtin:4012345.077889.25</epc></outputEPCList>
        <ilmd><example:bestBeforeDate>2014-12-10</example:bestBeforeDate></ilmd>
      </TransformationEvent>
    </extension>
  </EventList></EPCISBody>
</epcis:EPCISDocument>)");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->schema_version, "1.2");
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].event_id, "urn:uuid:1");
  ASSERT_EQ(r->events[0].quantity_list.size(), 1u);
  EXPECT_EQ(r->events[0].quantity_list[0].quantity, 2.0);
  EXPECT_EQ(r->events[0].ilmd->at(0).name, "batch");
  EXPECT_EQ(r->events[1].type, EventType::kTransformation);
  EXPECT_EQ(r->events[1].output_epc_list[0], "urn:epc:id:sgtin:4012345.077889.25");
  // Re-encoded as EPCIS 2.0: the TransformationEvent sits directly in EventList.
  std::string out = encode_xml(*r);
  EXPECT_NE(out.find("<EventList>\n      <ObjectEvent>"), std::string::npos) << out;
  EXPECT_NE(out.find("schemaVersion=\"2.0\""), std::string::npos);
}

TEST(XmlCodec, AnElementOfAnotherNamespaceInTheEventListIsAnExtendedEvent) {
  // The XSD's ##other in EventList; skipping it lost the event of an XML capture.
  auto r = decode_xml(doc20(R"(<ex:CustomEvent>
      <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
      <eventID>urn:uuid:1b0f6c8a-8f34-4c57-9f2e-0d2d1a5b7c11</eventID>
      <ex:size>3</ex:size><note>kept</note>
    </ex:CustomEvent>
    <CustomEvent xmlns="urn:example:events">
      <eventTime xmlns="">2024-01-01T11:00:00Z</eventTime>
      <eventTimeZoneOffset xmlns="">+00:00</eventTimeZoneOffset>
    </CustomEvent>)",
                            R"(xmlns:ex="https://example.org/epcis/")"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->events.size(), 2u);
  const Event& e = r->events[0];
  EXPECT_EQ(e.extension_type, "ex:CustomEvent");
  EXPECT_EQ(e.event_id, "urn:uuid:1b0f6c8a-8f34-4c57-9f2e-0d2d1a5b7c11");
  ASSERT_EQ(e.extensions.size(), 2u);
  EXPECT_EQ(e.extensions[0].ns, "https://example.org/epcis/");
  EXPECT_EQ(e.extensions[0].name, "size");
  EXPECT_EQ(e.extensions[1].ns, "");
  EXPECT_EQ(e.extensions[1].name, "note");
  // A default namespace that is no IRI prefix gets a prefix of its own.
  EXPECT_EQ(r->events[1].extension_type, "ns1:CustomEvent");
  auto again = decode_xml(encode_xml(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->events, r->events);
}

TEST(XmlCodecErrors, AnExtendedEventNeedsTheFieldsEveryEventHas) {
  Error e = decode_error(doc20(R"(<ex:CustomEvent><ex:size>3</ex:size></ex:CustomEvent>)",
                               R"(xmlns:ex="https://example.org/epcis/")"));
  EXPECT_EQ(e.field, "eventTime");
  EXPECT_EQ(e.event_index, 0);
  Error twice = decode_error(doc20(R"(<ex:CustomEvent>
      <eventTime>2024-01-01T10:00:00Z</eventTime><eventTime>2024-01-01T10:00:00Z</eventTime>
      <eventTimeZoneOffset>+00:00</eventTimeZoneOffset></ex:CustomEvent>)",
                                   R"(xmlns:ex="https://example.org/epcis/")"));
  EXPECT_NE(twice.message.find("appears twice"), std::string::npos) << twice.message;
}

TEST(XmlCodec, MasterDataKeepsComplexAttributeValuesAndChildren) {
  std::string xml = R"(<epcismd:EPCISMasterDataDocument
    xmlns:epcismd="urn:epcglobal:epcis-masterdata:xsd:2" xmlns:ex="urn:ex"
    schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z">
  <EPCISBody><VocabularyList>
    <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation">
      <VocabularyElementList>
        <VocabularyElement id="urn:epc:id:sgln:0037000.00729.0">
          <attribute id="urn:epcglobal:cbv:mda#name">Warehouse 1</attribute>
          <attribute id="urn:ex#address"><ex:street>Main 1</ex:street><ex:city>Town</ex:city></attribute>
          <children><id>urn:epc:id:sgln:0037000.00729.8201</id></children>
        </VocabularyElement>
      </VocabularyElementList>
    </Vocabulary>
  </VocabularyList></EPCISBody>
</epcismd:EPCISMasterDataDocument>)";
  auto r = decode_xml(xml);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->kind, Document::Kind::kMasterDataDocument);
  ASSERT_EQ(r->master_data.size(), 1u);
  const VocabularyElement& el = r->master_data[0].elements[0];
  EXPECT_EQ(el.attributes[0].second, "Warehouse 1");
  EXPECT_EQ(el.attributes[1].second, "<ex:street>Main 1</ex:street><ex:city>Town</ex:city>");
  EXPECT_EQ(el.children, std::vector<std::string>{"urn:epc:id:sgln:0037000.00729.8201"});
  auto again = decode_xml(encode_xml(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *r);
}

TEST(XmlCodec, QueryDocumentRoundTripsWithSubscriptionId) {
  Document d;
  d.kind = Document::Kind::kQueryDocument;
  d.creation_date = Timestamp{1'000'000'000, 0};
  d.query_name = "SimpleEventQuery";
  d.subscription_id = "sub-1";
  Event e;
  e.type = EventType::kAggregation;
  e.action = Action::kAdd;
  e.parent_id = "urn:epc:id:sscc:0614141.1234567890";
  e.epc_list = {"urn:epc:id:sgtin:0614141.107346.2017"};
  d.events.push_back(e);
  std::string out = encode_xml(d);
  EXPECT_NE(out.find("<epcisq:QueryResults>"), std::string::npos) << out;
  auto again = decode_xml(out);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, d);
}

// --- errors: each class names the event, the field and the place ------------------

TEST(XmlCodecErrors, MalformedXmlIsUnsupportedFormatWithLineAndColumn) {
  Error e = decode_error("<a>\n  <b></a>");
  EXPECT_EQ(e.kind, ErrorKind::kUnsupportedFormat);
  EXPECT_EQ(e.line, 2u);
  EXPECT_GT(e.column, 1u);
}

TEST(XmlCodecErrors, TextThatIsNoUtf8IsUnsupportedFormatWithItsPlace) {
  // Found by cross-format fuzzing: pugixml kept the byte 0xFF, and the JSON written
  // from the document did not parse.
  Error e = decode_error(doc20(kObjectHead + "<epcList/><action>ADD</action>"
                                             "<bizStep>x\xFFy</bizStep></ObjectEvent>"));
  EXPECT_EQ(e.kind, ErrorKind::kUnsupportedFormat);
  EXPECT_NE(e.message.find("not UTF-8"), std::string::npos) << e.message;
  EXPECT_GT(e.line, 1u);
}

TEST(XmlCodecErrors, ANameWithTwoColonsIsRejected) {
  // Found by cross-format fuzzing: pugixml read the attribute ex:a:b, whose local name
  // "a:b" JSON could not write back as a key.
  Error e = decode_error(doc20(kObjectHead + R"(<epcList/><action>ADD</action>
    <sensorElementList><sensorElement><sensorMetadata ex:a:b="1"/></sensorElement>
    </sensorElementList></ObjectEvent>)",
                               R"(xmlns:ex="https://ns.example.com/epcis/")"));
  EXPECT_EQ(e.field, "ex:a:b");
  EXPECT_NE(decode_error(doc20(kObjectHead + "<epcList/><action>ADD</action><ex:a:b/>"
                                             "</ObjectEvent>",
                               R"(xmlns:ex="https://ns.example.com/epcis/")"))
                .message.find("prefix:local"),
            std::string::npos);
}

TEST(XmlCodecErrors, AnAggregationWithoutChildrenNeedsDeleteAsInJson) {
  // Found by cross-format fuzzing: XML took it, and the JSON written from it did not
  // decode.
  std::string head = R"(<AggregationEvent>
    <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <parentID>urn:epc:id:sscc:0614141.1234567890</parentID><childEPCs/>)";
  EXPECT_EQ(decode_error(doc20(head + "<action>ADD</action></AggregationEvent>")).field,
            "childEPCs");
  EXPECT_TRUE(decode_xml(doc20(head + "<action>DELETE</action></AggregationEvent>")).ok());
}

TEST(XmlCodecErrors, IlmdOnAnObjectEventNeedsActionAddAsInJson) {
  // Found by cross-format fuzzing: XML took ilmd on an OBSERVE, JSON did not.
  auto event = [](const std::string& action) {
    return kObjectHead + "<epcList/><action>" + action +
           "</action><ilmd><ex:lot>1</ex:lot></ilmd></ObjectEvent>";
  };
  const std::string ns = R"(xmlns:ex="https://example.org/epcis/")";
  EXPECT_EQ(decode_error(doc20(event("OBSERVE"), ns)).field, "ilmd");
  EXPECT_TRUE(decode_xml(doc20(event("ADD"), ns)).ok());
}

TEST(XmlCodecErrors, ASensorReportNeedsATypeUnlessItReportsAnExceptionAsInJson) {
  // Found by cross-format fuzzing: XML took <sensorReport/>, JSON did not.
  auto event = [](const std::string& report) {
    return kObjectHead +
           "<epcList/><action>OBSERVE</action><readPoint><id>urn:epc:id:sgln:4012345.00005.0"
           "</id></readPoint><sensorElementList><sensorElement>" +
           report + "</sensorElement></sensorElementList></ObjectEvent>";
  };
  Error e = decode_error(doc20(event("<sensorReport/>")));
  EXPECT_NE(e.field.find("sensorReport"), std::string::npos) << e.field;
  EXPECT_TRUE(decode_xml(doc20(event(R"(<sensorReport exception="ALARM_CONDITION"/>)"))).ok());
  EXPECT_TRUE(decode_xml(doc20(event(R"(<sensorReport type="gs1:Temperature"/>)"))).ok());
}

TEST(XmlCodecErrors, NonDocumentRootsAreUnsupportedFormat) {
  EXPECT_EQ(decode_error("<ObjectEvent/>").kind, ErrorKind::kUnsupportedFormat);
  Error job = decode_error(
      R"(<epcis:EPCISCaptureJob xmlns:epcis="urn:epcglobal:epcis:xsd:2" running="false"/>)");
  EXPECT_EQ(job.kind, ErrorKind::kUnsupportedFormat);
  EXPECT_NE(job.message.find("capture job"), std::string::npos);
}

TEST(XmlCodecErrors, MissingEventTimeNamesTheField) {
  Error e = decode_error(doc20(R"(<ObjectEvent><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
    <epcList/><action>ADD</action></ObjectEvent>)"));
  EXPECT_EQ(e.kind, ErrorKind::kValidation);
  EXPECT_EQ(e.event_index, 0);
  EXPECT_EQ(e.field, "eventTime");
}

TEST(XmlCodecErrors, BadActionNamesTheSecondEvent) {
  std::string ok = kObjectHead + "<epcList/><action>ADD</action></ObjectEvent>";
  std::string bad = kObjectHead + "<epcList/><action>OBSERV</action></ObjectEvent>";
  Error e = decode_error(doc20(ok + "\n" + bad));
  EXPECT_EQ(e.event_index, 1);
  EXPECT_EQ(e.field, "action");
  EXPECT_GT(e.line, 8u);
}

TEST(XmlCodecErrors, BadQuantityNamesItsPath) {
  Error e = decode_error(doc20(kObjectHead + R"(<epcList/><action>ADD</action>
    <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:1.2.3</epcClass>
      <quantity>twenty</quantity></quantityElement></quantityList></ObjectEvent>)"));
  EXPECT_EQ(e.field, "quantityList[0].quantity");
  // from_chars reads "inf" and "nan"; neither is a quantity (JSON could not write it back).
  for (const char* word : {"INF", "inf", "-infinity", "nan"}) {
    Error w = decode_error(doc20(kObjectHead + R"(<epcList/><action>ADD</action>
    <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:1.2.3</epcClass>
      <quantity>)" + std::string(word) +
                                 R"(</quantity></quantityElement></quantityList></ObjectEvent>)"));
    EXPECT_EQ(w.field, "quantityList[0].quantity") << word;
  }
}

TEST(XmlCodecErrors, BadTimestampInErrorDeclaration) {
  Error e = decode_error(doc20(R"(<ObjectEvent>
    <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <errorDeclaration><declarationTime>2024-01-01T10:00Z</declarationTime></errorDeclaration>
    <epcList/><action>ADD</action></ObjectEvent>)"));
  EXPECT_EQ(e.field, "errorDeclaration.declarationTime");
}

TEST(XmlCodecErrors, UnknownUnqualifiedElementIsRejected) {
  Error e = decode_error(doc20(kObjectHead + "<epcList/><action>ADD</action><madeUp>x</madeUp>"
                                             "</ObjectEvent>"));
  EXPECT_EQ(e.field, "madeUp");
}

TEST(XmlCodecErrors, WrongOrderRejectedWhenStrictAcceptedWhenNot) {
  std::string xml = doc20(R"(<ObjectEvent><action>ADD</action>
    <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <epcList/></ObjectEvent>)");
  Error e = decode_error(xml);
  EXPECT_EQ(e.field, "eventTime");
  EXPECT_NE(e.message.find("out of order"), std::string::npos);
  EXPECT_TRUE(decode_xml(xml, XmlDecodeOptions{.strict = false}).ok());
}

TEST(XmlCodecErrors, TransactionEventNeedsBizTransactionList) {
  Error e = decode_error(doc20(R"(<TransactionEvent>
    <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <epcList/><action>ADD</action></TransactionEvent>)"));
  EXPECT_EQ(e.field, "bizTransactionList");
}

TEST(XmlCodecErrors, NonStandardBareBizStepIsRejected) {
  Error e = decode_error(doc20(kObjectHead + "<epcList/><action>ADD</action>"
                                             "<bizStep>transforming</bizStep></ObjectEvent>"));
  EXPECT_EQ(e.field, "bizStep");
}

TEST(XmlCodecErrors, UndeclaredPrefixIsRejected) {
  Error e = decode_error(doc20(kObjectHead + "<epcList/><action>ADD</action>"
                                             "<nope:x>1</nope:x></ObjectEvent>"));
  EXPECT_NE(e.message.find("nope"), std::string::npos);
  EXPECT_EQ(e.event_index, 0);
}

}  // namespace
