// EPCIS identifiers: EPC URN <-> GS1 Digital Link per GS1-EPC-Format (EPCIS 2.0 §12.5),
// and the canonical item key.
#include "epcis/identifiers.h"

#include <gtest/gtest.h>

#include "gs1/gcp_length.h"

namespace serialtrack::epcis {
namespace {

gs1::GcpLengthTable table() {
  auto t = gs1::GcpLengthTable::parse("0614141\t7\n4012345\t7\n");
  EXPECT_TRUE(t.ok());
  return std::move(*t);
}

std::string convert(std::string_view id, EpcFormat f, const gs1::GcpLengthTable* t = nullptr) {
  auto r = convert_identifier(id, f, t);
  EXPECT_TRUE(r.ok()) << id << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::string();
}

TEST(Identifiers, FormatNamesAreTheHeaderValues) {
  EXPECT_EQ(epc_format_from_name("Always_GS1_Digital_Link"), EpcFormat::kAlwaysDigitalLink);
  EXPECT_EQ(epc_format_from_name("Always_EPC_URN"), EpcFormat::kAlwaysEpcUrn);
  EXPECT_EQ(epc_format_from_name("No_Preference"), EpcFormat::kNoPreference);
  EXPECT_FALSE(epc_format_from_name("always_epc_urn"));
  EXPECT_EQ(epc_format_name(EpcFormat::kAlwaysDigitalLink), "Always_GS1_Digital_Link");
}

TEST(Identifiers, UrnToDigitalLinkNeedsNoTable) {
  auto f = EpcFormat::kAlwaysDigitalLink;
  EXPECT_EQ(convert("urn:epc:id:sgtin:0614141.107346.2017", f),
            "https://id.gs1.org/01/10614141073464/21/2017");
  EXPECT_EQ(convert("urn:epc:id:sscc:0614141.1234567890", f),
            "https://id.gs1.org/00/106141412345678908");
  EXPECT_EQ(convert("urn:epc:id:sgln:0614141.07346.1234", f),
            "https://id.gs1.org/414/0614141073467/254/1234");
  EXPECT_EQ(convert("urn:epc:id:sgln:4012345.00005.0", f), "https://id.gs1.org/414/4012345000054");
  EXPECT_EQ(convert("urn:epc:class:lgtin:4012345.012345.998877", f),
            "https://id.gs1.org/01/04012345123456/10/998877");
  EXPECT_EQ(convert("urn:epc:idpat:sgtin:4012345.012345.*", f),
            "https://id.gs1.org/01/04012345123456");
  EXPECT_EQ(convert("urn:epc:id:pgln:4012345.00225", f), "https://id.gs1.org/417/4012345002256");
}

TEST(Identifiers, DigitalLinkToUrnUsesTheGcpTable) {
  auto t = table();
  auto f = EpcFormat::kAlwaysEpcUrn;
  EXPECT_EQ(convert("https://id.gs1.org/01/10614141073464/21/2017", f, &t),
            "urn:epc:id:sgtin:0614141.107346.2017");
  EXPECT_EQ(convert("https://example.com/01/04012345123456/10/998877", f, &t),
            "urn:epc:class:lgtin:4012345.012345.998877");
  EXPECT_EQ(convert("https://id.gs1.org/01/04012345123456", f, &t),
            "urn:epc:idpat:sgtin:4012345.012345.*");
  EXPECT_EQ(convert("https://id.gs1.org/414/4012345000054", f, &t),
            "urn:epc:id:sgln:4012345.00005.0");
  EXPECT_EQ(convert("https://id.gs1.org/417/4012345002256", f, &t),
            "urn:epc:id:pgln:4012345.00225");
}

TEST(Identifiers, DigitalLinkStaysWhenTheGcpLengthIsUnknown) {
  auto t = table();
  std::string dl = "https://id.gs1.org/01/09506000134352/21/12345";
  EXPECT_EQ(convert(dl, EpcFormat::kAlwaysEpcUrn), dl);      // no table
  EXPECT_EQ(convert(dl, EpcFormat::kAlwaysEpcUrn, &t), dl);  // prefix not in the table
}

TEST(Identifiers, NoPreferenceKeepsEveryForm) {
  for (const char* id :
       {"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"})
    EXPECT_EQ(convert(id, EpcFormat::kNoPreference), id);
}

TEST(Identifiers, DigitalLinkKeepsItsStemUnderAlwaysDigitalLink) {
  std::string dl = "https://example.com/01/10614141073464/21/2017";
  EXPECT_EQ(convert(dl, EpcFormat::kAlwaysDigitalLink), dl);
}

TEST(Identifiers, OtherUrisAreKept) {
  for (auto f : {EpcFormat::kAlwaysDigitalLink, EpcFormat::kAlwaysEpcUrn}) {
    EXPECT_EQ(convert("http://transaction.acme.com/po/12345678", f),
              "http://transaction.acme.com/po/12345678");
    EXPECT_EQ(convert("urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8", f),
              "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8");
  }
}

TEST(Identifiers, InvalidEpcUrnIsAnError) {
  auto r =
      convert_identifier("urn:epc:id:sgtin:0614141.1073466.2017", EpcFormat::kAlwaysDigitalLink);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("urn:epc:id:sgtin"), std::string::npos);
}

TEST(Identifiers, FormIsRecognised) {
  EXPECT_EQ(identifier_form("urn:epc:id:sgtin:0614141.107346.2017"), IdentifierForm::kEpcUrn);
  EXPECT_EQ(identifier_form("urn:epc:class:lgtin:4012345.012345.998877"),
            IdentifierForm::kEpcClassUrn);
  EXPECT_EQ(identifier_form("urn:epc:idpat:sgtin:4012345.012345.*"), IdentifierForm::kEpcPattern);
  EXPECT_EQ(identifier_form("https://id.gs1.org/01/10614141073464/21/2017"),
            IdentifierForm::kDigitalLink);
  EXPECT_EQ(identifier_form("http://transaction.acme.com/po/12345678"), IdentifierForm::kOther);
}

TEST(Identifiers, CanonicalKeyIsTheSameForUrnAndAnyDigitalLink) {
  std::string key = "https://id.gs1.org/01/10614141073464/21/2017";
  for (const char* id :
       {"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017",
        "https://brand.example.com/01/10614141073464/21/2017",
        "https://id.gs1.org/01/10614141073464/21/2017?17=251231"}) {
    auto k = canonical_key(id);
    ASSERT_TRUE(k.ok()) << id;
    EXPECT_EQ(*k, key) << id;
  }
  EXPECT_EQ(*canonical_key("urn:uuid:1234"), "urn:uuid:1234");
}

}  // namespace
}  // namespace serialtrack::epcis
