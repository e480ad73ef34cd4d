#include "card/ber_tlv.h"

#include <gtest/gtest.h>

namespace kakanai::card {
namespace {

TEST(BerTlv, ShortAndLongLengthForms) {
  const Bytes shortForm = {0xDF, 0x22, 0x02, 0xAA, 0xBB};
  auto t = parseTlv(shortForm);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tag, 0xDF22u);
  EXPECT_EQ(t->value.size(), 2u);
  EXPECT_EQ(t->headerSize, 3u);

  // The card writes FF 10 0C in a non-minimal long form elsewhere; 81 and 82 must both parse.
  Bytes long81 = {0xDF, 0x23, 0x81, 0x80};
  long81.resize(4 + 0x80, 0x41);
  t = parseTlv(long81);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->value.size(), 0x80u);

  Bytes long82 = {0x7F, 0x21, 0x82, 0x01, 0x00};
  long82.resize(5 + 0x100, 0x00);
  t = parseTlv(long82);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tag, 0x7F21u);
  EXPECT_EQ(t->value.size(), 0x100u);
  EXPECT_EQ(t->totalSize(), long82.size());
}

TEST(BerTlv, RejectsValuesRunningPastTheBuffer) {
  EXPECT_FALSE(parseTlv(Bytes{0xDF, 0x22, 0x05, 0x01}));
  EXPECT_FALSE(parseTlv(Bytes{0xDF, 0x22, 0x82, 0x01}));        // truncated length
  EXPECT_FALSE(parseTlv(Bytes{0xDF, 0x22, 0x82, 0xFF, 0xFF}));  // oversized value
  EXPECT_FALSE(parseTlv(Bytes{0xDF, 0x22, 0x80}));              // indefinite length
  EXPECT_FALSE(parseTlv(Bytes{0xDF, 0x22, 0x85, 1, 2, 3, 4, 5}));
  EXPECT_FALSE(parseTlv(Bytes{0xDF}));
  EXPECT_FALSE(parseTlv(Bytes{}));
}

TEST(BerTlv, TagsLongerThanThreeBytesAreRejected) {
  EXPECT_TRUE(parseTlv(Bytes{0x5F, 0x81, 0x01, 0x00}));
  EXPECT_FALSE(parseTlv(Bytes{0x5F, 0x81, 0x81, 0x01, 0x00}));
}

TEST(BerTlv, HeaderAloneGivesTheFileSize) {
  // Public readers read a few bytes to learn a file's size; so do we.
  const Bytes head = {0x30, 0x82, 0x05, 0xA0};
  auto h = parseTlvHeader(head);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->headerSize + h->valueSize, 4u + 0x5A0u);
}

TEST(TlvReader, StopsAtFillerAndFlagsGarbage) {
  Bytes seq;
  appendTlv(seq, 0xDF24, asBytes("19800401"));
  appendTlv(seq, 0xDF25, asBytes("1"));
  Bytes padded = seq;
  padded.insert(padded.end(), {0xFF, 0xFF, 0x00});
  TlvReader r(padded);
  int n = 0;
  while (r.next()) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.offset(), seq.size());

  Bytes broken = seq;
  broken.insert(broken.end(), {0xDF, 0x26, 0x09, 0x01});
  TlvReader bad(broken);
  while (bad.next()) {
  }
  EXPECT_TRUE(bad.failed());
}

TEST(BerTlv, AppendUsesMinimalLengths) {
  Bytes out;
  appendTlvHeader(out, 0xFF20, 0x65);
  appendTlvHeader(out, 0xDF23, 0x80);
  appendTlvHeader(out, 0x7F21, 0x233);
  EXPECT_EQ(toHex(out), "FF2065DF2381807F21820233");
}

}  // namespace
}  // namespace kakanai::card
