// UTF-8 well-formedness as RFC 3629 defines it: where the first bad byte is.
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace serialtrack {
namespace {

TEST(Utf8, WellFormedTextOfEveryLengthIsAccepted) {
  std::string text =
      "ASCII, \xC3\xA9 (2), \xE2\x82\xAC (3), \xF0\x9F\x93\xA6 (4), \xF4\x8F\xBF\xBF";
  EXPECT_EQ(first_invalid_utf8(text), text.size());
  EXPECT_EQ(first_invalid_utf8(""), 0u);
}

TEST(Utf8, TheOffsetOfTheFirstBadSequenceIsGiven) {
  EXPECT_EQ(first_invalid_utf8("ab\xFF"), 2u);            // never in UTF-8
  EXPECT_EQ(first_invalid_utf8("a\x80"), 1u);             // a lone continuation byte
  EXPECT_EQ(first_invalid_utf8("a\xC3"), 1u);             // cut short
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0u);      // overlong, three bytes
  EXPECT_EQ(first_invalid_utf8("x\xED\xA0\x80"), 1u);     // a UTF-16 surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xE2\x82\x41"), 0u);      // a bad third byte
}

}  // namespace
}  // namespace serialtrack
