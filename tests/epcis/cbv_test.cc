// CBV 2.0 vocabularies: bare words, URNs, web URIs and CURIEs normalise to one canonical
// form and back; custom values are kept.
#include "epcis/cbv.h"

#include <gtest/gtest.h>

namespace serialtrack::epcis {
namespace {

TEST(Cbv, BareWordExpandsToTheCanonicalUrn) {
  EXPECT_EQ(expand_cbv(CbvKind::kBizStep, "shipping"), "urn:epcglobal:cbv:bizstep:shipping");
  EXPECT_EQ(expand_cbv(CbvKind::kDisposition, "in_transit"), "urn:epcglobal:cbv:disp:in_transit");
  EXPECT_EQ(expand_cbv(CbvKind::kBizTransactionType, "po"), "urn:epcglobal:cbv:btt:po");
  EXPECT_EQ(expand_cbv(CbvKind::kSourceDestType, "owning_party"),
            "urn:epcglobal:cbv:sdt:owning_party");
  EXPECT_EQ(expand_cbv(CbvKind::kErrorReason, "did_not_occur"),
            "urn:epcglobal:cbv:er:did_not_occur");
}

TEST(Cbv, SensorVocabulariesExpandToWebUris) {
  EXPECT_EQ(expand_cbv(CbvKind::kMeasurementType, "Temperature"),
            "https://gs1.org/voc/Temperature");
  EXPECT_EQ(expand_cbv(CbvKind::kMeasurementType, "gs1:Temperature"),
            "https://gs1.org/voc/Temperature");
  EXPECT_EQ(expand_cbv(CbvKind::kSensorAlertType, "ALARM_CONDITION"),
            "https://gs1.org/voc/ALARM_CONDITION");
  EXPECT_EQ(expand_cbv(CbvKind::kComponent, "latitude"), "https://ref.gs1.org/cbv/Comp-latitude");
  EXPECT_EQ(expand_cbv(CbvKind::kComponent, "cbv:Comp-latitude"),
            "https://ref.gs1.org/cbv/Comp-latitude");
}

TEST(Cbv, EveryStandardSpellingGivesTheSameCanonicalForm) {
  const std::string urn = "urn:epcglobal:cbv:bizstep:shipping";
  for (const char* s : {"shipping", "urn:epcglobal:cbv:bizstep:shipping",
                        "https://ref.gs1.org/cbv/BizStep-shipping",
                        "http://ref.gs1.org/cbv/BizStep-shipping", "cbv:BizStep-shipping"})
    EXPECT_EQ(expand_cbv(CbvKind::kBizStep, s), urn) << s;
}

TEST(Cbv, CustomValuesAreKeptAsTheyAre) {
  EXPECT_EQ(expand_cbv(CbvKind::kBizStep, "https://ns.example.com/bizstep/brewing"),
            "https://ns.example.com/bizstep/brewing");
  EXPECT_EQ(expand_cbv(CbvKind::kBizStep, "urn:epcglobal:cbv:bizstep:transforming"),
            "urn:epcglobal:cbv:bizstep:transforming");
  EXPECT_EQ(expand_cbv(CbvKind::kComponent, "example:x"), "example:x");
  EXPECT_EQ(compact_cbv(CbvKind::kBizStep, "https://ns.example.com/bizstep/brewing"),
            "https://ns.example.com/bizstep/brewing");
  EXPECT_FALSE(is_standard_cbv(CbvKind::kBizStep, "transforming"));
  EXPECT_FALSE(is_standard_cbv(CbvKind::kBizStep, "urn:epcglobal:cbv:bizstep:transforming"));
}

TEST(Cbv, AValueOfOneKindIsNotStandardInAnother) {
  EXPECT_TRUE(is_standard_cbv(CbvKind::kDisposition, "in_transit"));
  EXPECT_FALSE(is_standard_cbv(CbvKind::kBizStep, "in_transit"));
  EXPECT_FALSE(is_standard_cbv(CbvKind::kDisposition, "urn:epcglobal:cbv:bizstep:shipping"));
}

TEST(Cbv, CompactGivesTheBareWordOfAStandardValue) {
  EXPECT_EQ(compact_cbv(CbvKind::kBizStep, "urn:epcglobal:cbv:bizstep:shipping"), "shipping");
  EXPECT_EQ(compact_cbv(CbvKind::kDisposition, "https://ref.gs1.org/cbv/Disp-active"), "active");
  EXPECT_EQ(compact_cbv(CbvKind::kMeasurementType, "https://gs1.org/voc/Temperature"),
            "Temperature");
  // The JSON Schema forbids https://gs1.org/voc/... for measurement types: use the CURIE.
  EXPECT_EQ(compact_cbv(CbvKind::kMeasurementType, "https://gs1.org/voc/MT-Humidity"),
            "gs1:MT-Humidity");
}

TEST(Cbv, WebUriOfAStandardValueForTheEventHash) {
  EXPECT_EQ(cbv_web_uri(CbvKind::kBizStep, "urn:epcglobal:cbv:bizstep:shipping"),
            "https://ref.gs1.org/cbv/BizStep-shipping");
  EXPECT_EQ(cbv_web_uri(CbvKind::kSourceDestType, "urn:epcglobal:cbv:sdt:location"),
            "https://ref.gs1.org/cbv/SDT-location");
  EXPECT_EQ(cbv_web_uri(CbvKind::kBizStep, "https://ns.example.com/x"), "https://ns.example.com/x");
}

TEST(Cbv, TablesHoldEveryCbv2Value) {
  EXPECT_EQ(cbv_values(CbvKind::kBizStep).size(), 41u);
  EXPECT_EQ(cbv_values(CbvKind::kDisposition).size(), 33u);
  EXPECT_EQ(cbv_values(CbvKind::kBizTransactionType).size(), 13u);
  EXPECT_EQ(cbv_values(CbvKind::kSourceDestType).size(), 3u);
  EXPECT_EQ(cbv_values(CbvKind::kErrorReason).size(), 2u);
  EXPECT_EQ(cbv_values(CbvKind::kMeasurementType).size(), 72u);
  EXPECT_EQ(cbv_values(CbvKind::kSensorAlertType).size(), 2u);
  EXPECT_EQ(cbv_values(CbvKind::kComponent).size(), 14u);
  for (auto kind : {CbvKind::kBizStep, CbvKind::kDisposition, CbvKind::kBizTransactionType,
                    CbvKind::kSourceDestType, CbvKind::kErrorReason, CbvKind::kMeasurementType,
                    CbvKind::kSensorAlertType, CbvKind::kComponent})
    for (auto w : cbv_values(kind)) EXPECT_EQ(compact_cbv(kind, expand_cbv(kind, w)), w);
}

}  // namespace
}  // namespace serialtrack::epcis
