// The index key of an identifier (store/event_codec.h): an SGTIN written as an EPC URN
// and as a GS1 Digital Link URI has one key, whichever path computes it (the URN fast
// path or the general parse), and what is not a valid SGTIN keeps its text.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "gs1/check_digit.h"
#include "store/event_codec.h"

namespace serialtrack::store {
namespace {

std::string digits(std::mt19937_64& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
  return s;
}

TEST(IndexKey, AnSgtinUrnAndItsDigitalLinkHaveOneKey) {
  std::mt19937_64 rng(11);
  const std::string alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (int i = 0; i < 20'000; ++i) {
    size_t gcp_len = 6 + rng() % 7;
    std::string gcp = digits(rng, gcp_len), ref = digits(rng, 13 - gcp_len);
    std::string serial;
    for (size_t k = 1 + rng() % 20; k > 0; --k) serial.push_back(alnum[rng() % alnum.size()]);
    std::string body = ref.substr(0, 1) + gcp + ref.substr(1);
    std::string gtin = body + *gs1::mod10_check_digit(body);
    std::string urn = "urn:epc:id:sgtin:" + gcp + "." + ref + "." + serial;
    std::string dl = "https://id.gs1.org/01/" + gtin + "/21/" + serial;
    std::string key = index_key(urn);
    ASSERT_EQ(key, index_key(dl)) << urn;
    ASSERT_NE(key, urn) << urn;
  }
}

TEST(IndexKey, EscapedSerialsTakeTheGeneralPathToTheSameKey) {
  // '%2F' is '/', outside the fast path's letters and digits.
  EXPECT_EQ(index_key("urn:epc:id:sgtin:9520123.045678.A%2FB"),
            index_key("https://id.gs1.org/01/09520123456788/21/A%2FB"));
  EXPECT_EQ(index_key("urn:epc:id:sgtin:9520123.045678.x-1"),
            index_key("https://id.gs1.org/01/09520123456788/21/x-1"));
}

TEST(IndexKey, WhatIsNotAnSgtinKeepsItsText) {
  for (std::string bad : {"urn:epc:id:sgtin:9520123.04567.1",  // 12 digits
                          "urn:epc:id:sgtin:95201A3.045678.1", "urn:epc:id:sgtin:9520123.045678.",
                          "urn:epc:id:sgtin:9520123.045678.123456789012345678901",  // 21 chars
                          "urn:epc:id:sgtin:12345.12345678.1",  // GCP of 5 digits
                          "urn:epc:id:sgtin:9520123.045678", "urn:uuid:1"})
    EXPECT_EQ(index_key(bad), bad) << bad;
}

}  // namespace
}  // namespace serialtrack::store
