// HMAC-SHA-256 against the RFC 4231 test vectors.
#include "crypto/hmac.h"

#include <gtest/gtest.h>

#include <string>

namespace serialtrack::crypto {
namespace {

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231TestCase6WithAKeyLongerThanABlock) {
  EXPECT_EQ(to_hex(hmac_sha256(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace serialtrack::crypto
