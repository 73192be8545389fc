// The CBV 2.0 §8.9 event hash on events built by hand: each test names one property of
// the canonical pre-hash string.
#include "epcis/event_hash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "epcis/time.h"

namespace serialtrack::epcis {
namespace {

Timestamp ts(std::string_view text) {
  auto t = parse_timestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

Extension ext(std::string ns, std::string name, std::string value) {
  Extension e;
  e.ns = std::move(ns);
  e.prefix = "example";
  e.name = std::move(name);
  e.value = std::move(value);
  return e;
}

// ReferenceEventHashAlgorithm.jsonld, the CBV 2.0 §8.9 worked example.
Event reference_event() {
  Event e;
  e.type = EventType::kObject;
  e.event_time = ts("2020-03-04T11:00:30.000+01:00");
  e.record_time = ts("2020-03-04T11:00:30.999+01:00");
  e.epc_list = {"urn:epc:id:sscc:4012345.0000000333", "urn:epc:id:sscc:4012345.0000000111",
                "urn:epc:id:sscc:4012345.0000000222"};
  e.action = Action::kObserve;
  e.biz_step = "urn:epcglobal:cbv:bizstep:departing";
  e.read_point = "urn:epc:id:sgln:4012345.00011.987";
  const std::string ns = "https://ns.example.com/epcis/";
  Extension f1 = ext(ns, "myField1", "");
  f1.kind = Extension::Kind::kObject;
  f1.children = {ext(ns, "mySubField1", "2"), ext(ns, "mySubField2", "5")};
  Extension f3 = ext(ns, "myField3", "");
  f3.kind = Extension::Kind::kObject;
  f3.children = {ext(ns, "mySubField3", "3"), ext(ns, "mySubField3", "1")};
  e.extensions = {f1, ext(ns, "myField2", "0"), f3};
  return e;
}

constexpr std::string_view kReferencePrehash =
    "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00"
    "epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/"
    "040123450000002225epc=https://id.gs1.org/00/040123450000003338action=OBSERVE"
    "bizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/"
    "4012345000115/254/987{https://ns.example.com/epcis/}myField1{https://ns.example.com/"
    "epcis/}mySubField1=2{https://ns.example.com/epcis/}mySubField2=5{https://"
    "ns.example.com/epcis/}myField2=0{https://ns.example.com/epcis/}myField3{https://"
    "ns.example.com/epcis/}mySubField3=1{https://ns.example.com/epcis/}mySubField3=3";

TEST(EventHash, ReferenceExampleGivesThePublishedPrehashAndHash) {
  EXPECT_EQ(event_prehash(reference_event()), kReferencePrehash);
  EXPECT_EQ(event_hash_id(reference_event()),
            "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7"
            "?ver=CBV2.0");
}

TEST(EventHash, IdIsNamedInformationWithLowercaseSha256) {
  // SHA-256("") (FIPS 180-4 test vector).
  EXPECT_EQ(hash_id_of_prehash(""),
            "ni:///sha-256;e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            "?ver=CBV2.0");
}

TEST(EventHash, EventTimeInAnotherZoneGivesTheSameHash) {
  Event a = reference_event(), b = reference_event();
  b.event_time = ts("2020-03-04T05:00:30-05:00");
  b.event_time.offset_minutes = a.event_time.offset_minutes;  // eventTimeZoneOffset unchanged
  EXPECT_EQ(event_hash_id(a), event_hash_id(b));
}

TEST(EventHash, EventTimeZoneOffsetIsPartOfTheHash) {
  Event a = reference_event(), b = reference_event();
  b.event_time.offset_minutes = 120;
  EXPECT_NE(event_hash_id(a), event_hash_id(b));
}

TEST(EventHash, TimesAreRoundedToMillisecondsHalfToEven) {
  Event a = reference_event();
  a.event_time = ts("2023-02-02T11:04:03.1415Z");
  EXPECT_NE(event_prehash(a).find("eventTime=2023-02-02T11:04:03.142Z"), std::string::npos);
  a.event_time = ts("2023-02-02T11:04:03.1414999Z");
  EXPECT_NE(event_prehash(a).find("eventTime=2023-02-02T11:04:03.141Z"), std::string::npos);
  a.event_time = ts("2023-02-02T11:04:03Z");
  EXPECT_NE(event_prehash(a).find("eventTime=2023-02-02T11:04:03.000Z"), std::string::npos);
}

TEST(EventHash, ListOrderDoesNotMatter) {
  Event a = reference_event(), b = reference_event();
  std::reverse(b.epc_list.begin(), b.epc_list.end());
  std::reverse(b.extensions.begin(), b.extensions.end());
  b.biz_transactions = {{"urn:epcglobal:cbv:btt:po", "urn:epcglobal:cbv:bt:4012345000009:1"},
                        {"urn:epcglobal:cbv:btt:desadv", "urn:epcglobal:cbv:bt:4012345000009:2"}};
  a.biz_transactions = {b.biz_transactions[1], b.biz_transactions[0]};
  EXPECT_EQ(event_hash_id(a), event_hash_id(b));
}

TEST(EventHash, EpcUrnAndDigitalLinkGiveTheSameHash) {
  Event urn = reference_event(), dl = reference_event();
  urn.epc_list = {"urn:epc:id:sgtin:4012345.011111.9876",
                  "urn:epc:class:lgtin:4012345.012345.Lot987"};
  dl.epc_list = {"https://example.com/01/04012345111118/10/ABC/21/9876?17=250101",
                 "https://id.gs1.org/gtin/04012345123456/lot/Lot987"};
  urn.read_point = "urn:epc:id:sgln:4012345.00005.0";
  dl.read_point = "https://id.gs1.org/414/4012345000054";
  EXPECT_EQ(event_prehash(urn), event_prehash(dl));
  EXPECT_NE(event_prehash(urn).find("epc=https://id.gs1.org/01/04012345111118/21/9876"),
            std::string::npos);
  EXPECT_NE(event_prehash(urn).find("readPointid=https://id.gs1.org/414/4012345000054"),
            std::string::npos);
}

TEST(EventHash, SerialCharactersArePercentEncodedInTheDigitalLink) {
  Event e = reference_event();
  e.epc_list = {"urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()"};
  EXPECT_NE(event_prehash(e).find(
                "epc=https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29"),
            std::string::npos)
      << event_prehash(e);
}

TEST(EventHash, CbvBareWordsUrnsAndWebUrisGiveTheSameHash) {
  Event a = reference_event(), b = reference_event(), c = reference_event();
  a.biz_step = "departing";
  b.biz_step = "urn:epcglobal:cbv:bizstep:departing";
  c.biz_step = "https://ref.gs1.org/cbv/BizStep-departing";
  EXPECT_EQ(event_hash_id(a), event_hash_id(b));
  EXPECT_EQ(event_hash_id(b), event_hash_id(c));
}

TEST(EventHash, NumbersAreWrittenInShortestForm) {
  Event a = reference_event(), b = reference_event();
  a.quantity_list = {{"urn:epc:class:lgtin:4012345.012345.Lot987", 600.0, "KGM"}};
  b.quantity_list = {{"urn:epc:class:lgtin:4012345.012345.Lot987", 6e2, "KGM"}};
  a.extensions.push_back(ext("https://ns.example.com/epcis/", "n", "12.10"));
  b.extensions.push_back(ext("https://ns.example.com/epcis/", "n", "+1.21e1"));
  EXPECT_EQ(event_prehash(a), event_prehash(b));
  EXPECT_NE(event_prehash(a).find("quantity=600uom=KGM"), std::string::npos);
  EXPECT_NE(event_prehash(a).find("}n=12.1"), std::string::npos);
  Event small = reference_event();
  small.extensions = {ext("https://ns.example.com/epcis/", "n", "0.00001")};
  EXPECT_NE(event_prehash(small).find("}n=1e-05"), std::string::npos) << event_prehash(small);
}

TEST(EventHash, EventIdRecordTimeAndErrorDeclarationAreLeftOut) {
  Event a = reference_event(), b = reference_event();
  b.event_id = "urn:uuid:0e6b3b0a-1b4c-4d1e-9f3a-2d6c1a7f8e90";
  b.record_time = ts("2024-01-01T00:00:00Z");
  b.error_declaration = ErrorDeclaration{
      ts("2024-01-02T00:00:00Z"), "urn:epcglobal:cbv:er:incorrect_data", {"urn:uuid:1"}, {}};
  EXPECT_EQ(event_hash_id(a), event_hash_id(b));
}

TEST(EventHash, UserExtensionsArePartOfTheHash) {
  Event a = reference_event(), b = reference_event();
  b.extensions[1].value = "1";
  EXPECT_NE(event_hash_id(a), event_hash_id(b));
  Event c = reference_event();
  c.extensions[1].ns = "https://ns.other.example/";  // same local name, other namespace
  EXPECT_NE(event_hash_id(a), event_hash_id(c));
}

TEST(EventHash, ExtensionsNestedInAnElementFollowItsStandardFields) {
  Event e = reference_event();
  e.extensions.clear();
  e.read_point_extensions = {ext("https://ns.example.com/epcis/", "gs1ES", "(414)4012345000115")};
  EXPECT_NE(event_prehash(e).find("readPointid=https://id.gs1.org/414/4012345000115/254/987"
                                  "{https://ns.example.com/epcis/}gs1ES=(414)4012345000115"),
            std::string::npos)
      << event_prehash(e);
}

TEST(EventHash, IgnoredFieldsAreLeftOut) {
  Event a = reference_event(), b = reference_event();
  b.extensions.push_back(ext("https://repository-x.example.com/", "hash", "ni:///x"));
  HashContext ctx;
  ctx.ignored_fields = {{"https://repository-x.example.com/", "hash"}};
  EXPECT_EQ(event_hash_id(a), event_hash_id(b, ctx));
  EXPECT_NE(event_hash_id(a), event_hash_id(b));
}

TEST(EventHash, CustomCurieValuesExpandOnlyInJsonLd) {
  Event e = reference_event();
  SensorElement se;
  SensorReport r;
  r.type = "example:someSensorProperty";
  r.string_value = "x";
  se.reports = {r};
  e.sensor_elements = {se};
  EXPECT_NE(event_prehash(e).find("sensorReporttype=example:someSensorProperty"),
            std::string::npos);
  HashContext json;
  json.syntax = HashContext::Syntax::kJsonLd;
  json.namespaces = {{"example", "https://ns.example.com/epcis/"}};
  EXPECT_NE(event_prehash(e, json).find(
                "sensorReporttype=https://ns.example.com/epcis/someSensorProperty"),
            std::string::npos);
}

TEST(EventHash, ValuesThatAreNoIdentifierStayAsWritten) {
  Event e = reference_event();
  e.read_point = "geo:50.947573340894124,6.922120147375441";
  e.biz_transactions = {{"urn:epcglobal:cbv:btt:po", "http://transaction.acme.com/po/12345678"}};
  std::string pre = event_prehash(e);
  EXPECT_NE(pre.find("readPointid=geo:50.947573340894124,6.922120147375441"), std::string::npos);
  EXPECT_NE(pre.find("bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction="
                     "http://transaction.acme.com/po/12345678"),
            std::string::npos)
      << pre;
}

}  // namespace
}  // namespace serialtrack::epcis
