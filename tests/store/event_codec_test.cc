// The stored form of events (store/event_codec.h): what the store writes for each event
// decodes to an equal Event, string lists are front-coded, and bodies written by the
// earlier format version still read.
#include "store/event_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace serialtrack::store {
namespace {

epcis::Event commissioning(std::vector<std::string> epcs) {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kAdd;
  e.event_id = "urn:uuid:v1";
  e.event_time = {1'000'000'000, 60};
  e.record_time = epcis::Timestamp{2'000'000'000, 0};
  e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
  e.epc_list = std::move(epcs);
  e.persistent_disposition.set = {"urn:epcglobal:cbv:disp:completeness_verified"};
  return e;
}

TEST(EventCodec, ListsWithAndWithoutSharedPrefixesReadBackEqual) {
  epcis::Event e = commissioning({"urn:epc:id:sgtin:9520123.045678.10",
                                  "urn:epc:id:sgtin:9520123.045678.11",
                                  "urn:epc:id:sgtin:9520123.045678.1",  // a prefix of the one before
                                  "", "https://id.gs1.org/01/09520123456788/21/x",
                                  "https://id.gs1.org/01/09520123456788/21/x"});
  e.input_epc_list = {"urn:epc:id:sscc:9520123.0000000001"};
  e.certification_info = {"https://cert.example/1", "https://cert.example/2"};
  auto back = decode_stored_event(encode_stored_event(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, e);
}

TEST(EventCodec, TenThousandSerialsOfOneProductTakeAFractionOfTheirText) {
  std::vector<std::string> epcs;
  size_t text = 0;
  for (int i = 0; i < 10'000; ++i) {
    epcs.push_back("urn:epc:id:sgtin:9520123.045678." + std::to_string(100'000 + i));
    text += epcs.back().size();
  }
  epcis::Event e = commissioning(epcs);
  std::string body = encode_stored_event(e);
  EXPECT_LT(body.size(), text / 5);
  auto back = decode_stored_event(body);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->epc_list, epcs);
}

TEST(EventCodec, ABodyOfFormatVersionOneStillReads) {
  // commissioning({...10, ...11}) as version 1 wrote it (plain string lists).
  static const char kV1[] =
      "\x01\x00\x80\xa8\xd6\xb9\x07\x78\x01\x80\xd0\xac\xf3\x0e\x00\x0b\x75\x72\x6e\x3a\x75\x75"
      "\x69\x64\x3a\x76\x31\x00\x00\x02\x22\x75\x72\x6e\x3a\x65\x70\x63\x3a\x69\x64\x3a\x73\x67"
      "\x74\x69\x6e\x3a\x39\x35\x32\x30\x31\x32\x33\x2e\x30\x34\x35\x36\x37\x38\x2e\x31\x30\x22"
      "\x75\x72\x6e\x3a\x65\x70\x63\x3a\x69\x64\x3a\x73\x67\x74\x69\x6e\x3a\x39\x35\x32\x30\x31"
      "\x32\x33\x2e\x30\x34\x35\x36\x37\x38\x2e\x31\x31\x00\x00\x00\x00\x00\x00\x01\x27\x75\x72"
      "\x6e\x3a\x65\x70\x63\x67\x6c\x6f\x62\x61\x6c\x3a\x63\x62\x76\x3a\x62\x69\x7a\x73\x74\x65"
      "\x70\x3a\x63\x6f\x6d\x6d\x69\x73\x73\x69\x6f\x6e\x69\x6e\x67\x00\x01\x2c\x75\x72\x6e\x3a"
      "\x65\x70\x63\x67\x6c\x6f\x62\x61\x6c\x3a\x63\x62\x76\x3a\x64\x69\x73\x70\x3a\x63\x6f\x6d"
      "\x70\x6c\x65\x74\x65\x6e\x65\x73\x73\x5f\x76\x65\x72\x69\x66\x69\x65\x64\x00\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00";
  auto back = decode_stored_event(std::string_view(kV1, sizeof kV1 - 1));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, commissioning({"urn:epc:id:sgtin:9520123.045678.10",
                                  "urn:epc:id:sgtin:9520123.045678.11"}));
}

TEST(EventCodec, ACorruptFrontCodedListIsRefused) {
  std::string body = encode_stored_event(commissioning({"urn:epc:id:sgtin:9520123.045678.10"}));
  // The first element's shared length must be 0: nothing comes before it to share.
  size_t at = body.find("urn:epc:id:sgtin") - 2;  // [shared][length] before the text
  ASSERT_EQ(body[at], '\x00');
  body[at] = '\x05';
  EXPECT_FALSE(decode_stored_event(body));
  EXPECT_FALSE(decode_stored_event(""));
  EXPECT_FALSE(decode_stored_event("\x09"));  // an unknown format version
}

}  // namespace
}  // namespace serialtrack::store
