#include "card/iso7816.h"

#include <gtest/gtest.h>

#include "scripted_channel.h"

namespace kakanai::card {
namespace {

using testing::hex;
using testing::ScriptedChannel;

struct Harness {
  ScriptedChannel::Log log;
  CardConnection conn;
  explicit Harness(std::deque<Result<Bytes>> answers)
      : conn(std::make_unique<ScriptedChannel>(std::move(answers), log)) {}
};

TEST(PinCounter, RetryQuerySendsNoDataAndReadsTheCount) {
  Harness h({hex("63C2")});
  auto c = iso::queryPinCounter(h.conn);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->retries, 2);
  EXPECT_FALSE(c->blocked);
  ASSERT_EQ(h.log.sent.size(), 1u);
  EXPECT_EQ(toHex(h.log.sent[0]), "00200080");
}

TEST(PinCounter, BlockedForms) {
  for (const char* sw : {"63C0", "6984", "6983"}) {
    Harness h({hex(sw)});
    auto c = iso::queryPinCounter(h.conn);
    ASSERT_TRUE(c.ok()) << sw;
    EXPECT_TRUE(c->blocked) << sw;
    EXPECT_EQ(c->retries, 0) << sw;
  }
}

TEST(PinCounter, AlreadyVerifiedLeavesTheCountUnknown) {
  Harness h({hex("9000")});
  auto c = iso::queryPinCounter(h.conn);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->retries.has_value());
}

TEST(VerifyPin, MapsStatusWordsToProtocolCodes) {
  struct Case {
    const char* sw;
    ErrorCode code;
    std::optional<int> retries;
  } cases[] = {{"63C2", ErrorCode::PinWrong, 2},
               {"63C1", ErrorCode::PinWrong, 1},
               {"63C0", ErrorCode::PinLocked, std::nullopt},
               {"6984", ErrorCode::PinLocked, std::nullopt},
               {"6983", ErrorCode::PinLocked, std::nullopt},
               {"6A82", ErrorCode::CardError, std::nullopt}};
  for (const auto& c : cases) {
    Harness h({hex(c.sw)});
    const Bytes pin = {'1', '2', '3', '4'};
    auto s = iso::verifyPin(h.conn, pin);
    ASSERT_FALSE(s.ok()) << c.sw;
    EXPECT_EQ(s.error().code, c.code) << c.sw;
    EXPECT_EQ(s.error().retriesLeft, c.retries) << c.sw;
    EXPECT_EQ(toHex(h.log.sent[0]), "0020008004" + toHex(pin));
  }
  Harness ok({hex("9000")});
  EXPECT_TRUE(iso::verifyPin(ok.conn, Bytes{'1', '2', '3', '4'}).ok());
}

TEST(VerifyPin, NeverSendsAnEmptyVerifyAsALogin) {
  Harness h({hex("9000")});
  auto s = iso::verifyPin(h.conn, {});
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(h.log.sent.empty());
}

TEST(ReadTlvFile, SmallFileTakesOneRead) {
  Harness h({hex("FF10 0C 313233343536373839303138 FFFF 9000")});
  auto f = iso::readTlvFile(h.conn);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size(), 17u);  // filler kept: the integrity digest covers it
  ASSERT_EQ(h.log.sent.size(), 1u);
  EXPECT_EQ(toHex(h.log.sent[0]), "00B0000000");
}

TEST(ReadTlvFile, LargeFileReadsExactlyWhatTheHeaderSays) {
  Bytes file = {0x7F, 0x21, 0x82, 0x02, 0x33};
  for (int i = 0; i < 0x233; ++i) file.push_back(static_cast<std::uint8_t>(i));
  auto chunk = [&](std::size_t from, std::size_t n) {
    Bytes b(file.begin() + static_cast<long>(from), file.begin() + static_cast<long>(from + n));
    b.push_back(0x90);
    b.push_back(0x00);
    return b;
  };
  Harness h({chunk(0, 256), chunk(256, 256), chunk(512, 56)});
  auto f = iso::readTlvFile(h.conn);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Bytes(f->begin(), f->end()), file);
  ASSERT_EQ(h.log.sent.size(), 3u);
  EXPECT_EQ(toHex(h.log.sent[1]), "00B0010000");
  EXPECT_EQ(toHex(h.log.sent[2]), "00B0020038");
}

TEST(Exchange, Handles6CxxAnd61xx) {
  Harness h({hex("6C05"), hex("0102 6102"), hex("0304 9000")});
  CommandApdu c;
  c.ins = 0xB0;
  c.le = 256;
  auto r = h.conn.exchange(c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sw, 0x9000);
  EXPECT_EQ(toHex(Bytes(r->data.begin(), r->data.end())), "01020304");
  ASSERT_EQ(h.log.sent.size(), 3u);
  EXPECT_EQ(toHex(h.log.sent[1]), "00B0000005");
  EXPECT_EQ(toHex(h.log.sent[2]), "00C0000002");
  EXPECT_EQ(h.conn.apduCount(), 3u);
}

TEST(Exchange, TransportErrorsPassThrough) {
  Harness h({Result<Bytes>(Error::of(ErrorCode::CardRemoved, "gone"))});
  auto s = iso::selectEf(h.conn, 0x0002);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::CardRemoved);
}

TEST(SelectAid, MissingApplicationIsNotAnError) {
  Harness h({hex("6A82")});
  auto r = iso::selectAid(h.conn, hex("D392100031000101 0408"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

// Extended reads, and the two ways a card or reader refuses one: 67 00 (send the same read short)
// and 6C xx (the Le it takes). Either way the connection reads short from then on.
TEST(ReadTlvFile, ExtendedReadTakesAWholeFileInOneApdu) {
  Bytes file = *fromHex("FF3082014B");
  file.resize(5 + 0x14B, 0xAB);
  Bytes answer = file;
  answer.push_back(0x90);
  answer.push_back(0x00);
  Harness h({answer});
  h.conn.useExtendedReads(65536);
  auto r = iso::readTlvFile(h.conn);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), file.size());
  ASSERT_EQ(h.log.sent.size(), 1u);
  EXPECT_EQ(toHex(h.log.sent[0]), "00B00000000000");  // extended Le 0000: up to 65536
}

// An extended read of EF 0003 (336 bytes) the card refuses with `refusal`; the card then answers
// `firstShort` bytes and the rest.
struct RefusedExtendedRead {
  ScriptedChannel::Log log;
  std::unique_ptr<CardConnection> conn;
  Result<SecureBytes> file = Error::of(ErrorCode::Internal);

  RefusedExtendedRead(std::string_view refusal, std::size_t firstShort) {
    auto ok = [](Bytes b) {
      b.push_back(0x90);
      b.push_back(0x00);
      return b;
    };
    Bytes first = *fromHex("FF3082014B");
    first.resize(firstShort, 0xAB);
    conn = std::make_unique<CardConnection>(std::make_unique<ScriptedChannel>(
        std::deque<Result<Bytes>>{hex(refusal), ok(first), ok(Bytes(0x150 - firstShort, 0xAB))}, log));
    conn->useExtendedReads(65536);
    file = iso::readTlvFile(*conn);
  }
};

TEST(ReadTlvFile, WrongLengthToAnExtendedReadFallsBackToShortReads) {
  RefusedExtendedRead read("6700", 256);
  ASSERT_TRUE(read.file.ok()) << read.file.error().diagnostic;
  EXPECT_EQ(read.file->size(), 0x150u);
  ASSERT_EQ(read.log.sent.size(), 3u);
  EXPECT_EQ(toHex(read.log.sent[1]), "00B0000000");
  EXPECT_EQ(toHex(read.log.sent[2]), "00B0010050");
  EXPECT_EQ(read.conn->readLimit(), 256u);
}

TEST(ReadTlvFile, SixCxxToAnExtendedReadIsResentShortAndTheRestIsShort) {
  RefusedExtendedRead read("6C80", 0x80);
  ASSERT_TRUE(read.file.ok()) << read.file.error().diagnostic;
  EXPECT_EQ(read.file->size(), 0x150u);
  ASSERT_EQ(read.log.sent.size(), 3u);
  EXPECT_EQ(toHex(read.log.sent[1]), "00B0000080");
  EXPECT_EQ(toHex(read.log.sent[2]), "00B00080D0");  // short: what is left, 208 bytes
  EXPECT_EQ(read.conn->readLimit(), 256u);
}

}  // namespace
}  // namespace kakanai::card
