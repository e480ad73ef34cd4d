#include "card/apdu.h"

#include <gtest/gtest.h>

namespace kakanai::card {
namespace {

Bytes plain(const SecureBytes& s) { return Bytes(s.begin(), s.end()); }

TEST(CommandApdu, SelectByAidIsShortCase3) {
  CommandApdu c;
  c.ins = 0xA4;
  c.p1 = 0x04;
  c.p2 = 0x0C;
  c.data = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
  EXPECT_EQ(toHex(plain(*c.encode())), "00A4040C0AD3921000310001010408");
}

TEST(CommandApdu, VerifyQueryHasNoLcAndNoData) {
  CommandApdu c;
  c.ins = 0x20;
  c.p2 = 0x80;
  EXPECT_EQ(toHex(plain(*c.encode())), "00200080");
}

TEST(CommandApdu, ReadBinaryLe256IsEncodedAsZero) {
  CommandApdu c;
  c.ins = 0xB0;
  c.p1 = 0x01;
  c.le = 256;
  EXPECT_EQ(toHex(plain(*c.encode())), "00B0010000");
}

TEST(CommandApdu, LongDataUsesExtendedForm) {
  CommandApdu c;
  c.cla = 0x80;
  c.ins = 0x2A;
  c.p2 = 0x80;
  c.data.assign(300, 0xAB);
  c.le = 65536;
  const Bytes e = plain(*c.encode());
  ASSERT_EQ(e.size(), 4u + 3 + 300 + 2);
  EXPECT_EQ(e[4], 0x00);
  EXPECT_EQ(e[5], 0x01);
  EXPECT_EQ(e[6], 0x2C);
  EXPECT_EQ(e[e.size() - 2], 0x00);
  EXPECT_EQ(e[e.size() - 1], 0x00);
  EXPECT_FALSE(c.encodeShort().ok());
}

TEST(ResponseApdu, SplitsDataAndStatusWord) {
  const Bytes raw = {0x01, 0x02, 0x63, 0xC2};
  auto r = ResponseApdu::parse(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sw, 0x63C2);
  EXPECT_EQ(r->data.size(), 2u);
  EXPECT_TRUE(sw::isRetryCounter(r->sw));
  EXPECT_EQ(sw::retryCount(r->sw), 2);
}

TEST(ResponseApdu, ShorterThanStatusWordIsCardError) {
  const Bytes raw = {0x90};
  auto r = ResponseApdu::parse(raw);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CardError);
}

TEST(ParseCommand, RoundTripsEveryCase) {
  for (std::size_t dataSize : {0u, 1u, 255u, 256u, 1000u}) {
    for (std::optional<std::uint32_t> le : {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{1},
                                             std::optional<std::uint32_t>{256}, std::optional<std::uint32_t>{4096}}) {
      CommandApdu c;
      c.cla = 0x80;
      c.ins = 0x2A;
      c.p1 = 0x01;
      c.p2 = 0x02;
      c.data.assign(dataSize, 0x5A);
      c.le = le;
      auto encoded = c.encode();
      ASSERT_TRUE(encoded.ok());
      auto parsed = parseCommand(plain(*encoded));
      ASSERT_TRUE(parsed.has_value()) << dataSize;
      EXPECT_EQ(parsed->data.size(), dataSize);
      EXPECT_EQ(parsed->le, le);
      EXPECT_EQ(parsed->ins, 0x2A);
    }
  }
}

TEST(ParseCommand, RejectsInconsistentLengths) {
  EXPECT_FALSE(parseCommand(Bytes{0x00, 0xA4}).has_value());
  EXPECT_FALSE(parseCommand(Bytes{0x00, 0xA4, 0x04, 0x0C, 0x05, 0x01}).has_value());
  EXPECT_FALSE(parseCommand(Bytes{0x00, 0xA4, 0x04, 0x0C, 0x00, 0x00, 0x05, 0x01}).has_value());
}

}  // namespace
}  // namespace kakanai::card
