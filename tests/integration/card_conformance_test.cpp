// The virtual card against the published behaviour, through pcscd + vpcd, spoken to with raw
// PC/SC (SCardTransmit) and nothing of our card layer: the command/response pairs of CARD.md and
// of the public readers (jpki/myna's reader.rs and text.rs, OpenSC's JPKI driver, @aokiapp's EF
// table), each a table row of command, expected status word and answer shape; then a small
// independent reader of the text input assist applet written from those readers' documented
// APDUs (7-byte head read, BER length, read the rest; DF22–DF25 in order).
#include <gtest/gtest.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include "crypto/rsa.h"
#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

struct Answer {
  Bytes data;
  std::uint16_t sw = 0;
};

// Just SCardTransmit: what any PC/SC reader program does.
class RawCard {
 public:
  explicit RawCard(const std::string& reader) {
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_) != SCARD_S_SUCCESS) return;
    DWORD protocol = 0;
    ok_ = SCardConnect(ctx_, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card_, &protocol) ==
          SCARD_S_SUCCESS;
  }
  ~RawCard() {
    if (ok_) SCardDisconnect(card_, SCARD_RESET_CARD);
    SCardReleaseContext(ctx_);
  }
  bool ok() const { return ok_; }
  Answer send(std::string_view hex) {
    const Bytes command = *fromHex(hex);
    Bytes rx(65538);
    DWORD n = static_cast<DWORD>(rx.size());
    if (SCardTransmit(card_, SCARD_PCI_T1, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &n) !=
            SCARD_S_SUCCESS ||
        n < 2) {
      return {{}, 0};
    }
    return {Bytes(rx.begin(), rx.begin() + n - 2), static_cast<std::uint16_t>(rx[n - 2] << 8 | rx[n - 1])};
  }

 private:
  SCARDCONTEXT ctx_ = 0;
  SCARDHANDLE card_ = 0;
  bool ok_ = false;
};

// Expected shape of an answer: its exact length (or -1: any), and the hex it starts with.
struct Row {
  const char* what;
  const char* command;
  std::uint16_t sw;
  int length = -1;
  const char* startsWith = "";
};

void runTable(RawCard& card, const std::vector<Row>& rows) {
  for (const auto& row : rows) {
    const Answer a = card.send(row.command);
    EXPECT_EQ(a.sw, row.sw) << row.what << ": " << row.command;
    if (row.length >= 0) EXPECT_EQ(a.data.size(), static_cast<std::size_t>(row.length)) << row.what;
    const std::string head = toHex(a.data).substr(0, std::string_view(row.startsWith).size());
    EXPECT_EQ(head, row.startsWith) << row.what;
  }
}

constexpr const char* kText = "00A4040C0AD3921000310001010408";
constexpr const char* kJpki = "00A4040C0AD392F000260100000001";
// A SHA-256 DigestInfo over 32 bytes of 11, as a reader sends to have a challenge signed.
const std::string kDigestInfo = "3031300D060960864801650304020105000420" + std::string(64, '1');

// A resident born 昭和55年2月17日 whose card expires 2035 with security code 2285: B is
// 55021720352285 (CARD.md's example).
std::string profile(const std::string& textAssistExtra = {}, const std::string& rootExtra = {}) {
  std::string json = R"({"textAssist":{"pin":"1234","name":"見本　太郎","address":"東京都千代田区霞が関二丁目１番２号",)"
                     R"("birthDate":"19800217","sex":"1","myNumber":"123456789018","securityCode":"2285","expiryYear":"2035")";
  if (!textAssistExtra.empty()) json += "," + textAssistExtra;
  json += R"(},"jpki":{"authPin":"8642","signPin":"SIGN1234"})";
  if (!rootExtra.empty()) json += "," + rootExtra;
  return json + "}";
}

class CardConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    stack_ = std::make_unique<PcscStack>(dir_.path());
    ASSERT_TRUE(stack_->start()) << slurp(dir_.path() / "pcscd.err");
  }
  TempDir dir_;
  std::unique_ptr<PcscStack> stack_;
};

TEST_F(CardConformanceTest, TextAssistAppletAnswersAsPublishedWithoutACredential) {
  ASSERT_TRUE(stack_->insertCard(profile()));
  RawCard card(stack_->reader());
  ASSERT_TRUE(card.ok());
  runTable(card, {
      {"select the text input assist AP", kText, 0x9000, 0},
      {"select EF 0005", "00A4020C020005", 0x9000, 0},
      {"EF 0005 head, as jpki/myna reads it", "00B0000007", 0x9000, 7, "FF4082009FDF41"},
      {"EF 0005 whole: DF41 01 03 0E 01, then DF42 of 16", "00B0000000", 0x9000, 256, "FF4082009FDF410401030E01DF4210"},
      {"EF 0005 with extended Le", "00B00000000150", 0x9000, 256, "FF40"},
      {"READ BINARY past the end", "00B0010000", 0x6B00, 0},
      {"select EF 0004", "00A4020C020004", 0x9000, 0},
      {"EF 0004 in one extended read", "00B00000000238", 0x9000, 568, "7F218202335F4E820129"},
      {"EF 0004 short", "00B0000000", 0x9000, 256, "7F218202335F4E820129"},
      {"EF 0004 by short EF identifier 4", "00B0840000", 0x9000, 256, "7F21820233"},
      {"EF 0002 by short EF identifier, no PIN", "00B0820007", 0x6982, 0},
      {"short EF identifier of no file", "00B0890000", 0x6A82, 0},
      {"select PIN EF 0011", "00A4020C020011", 0x9000, 0},
      {"PIN retry query", "00200080", 0x63C3, 0},
      {"select EF 0012", "00A4020C020012", 0x9000, 0},
      {"EF 0012 query: locked on every card examined", "00200080", 0x63C0, 0},
      {"EF 0012 VERIFY", "002000800431323334", 0x6984, 0},
      {"select EF 0014 (verification number A)", "00A4020C020014", 0x9000, 0},
      {"A's retry query", "00200080", 0x63CA, 0},
      {"select EF 0015 (verification number B)", "00A4020C020015", 0x9000, 0},
      {"B's retry query: 10", "00200080", 0x63CA, 0},
      {"select EF 0001", "00A4020C020001", 0x9000, 0},
      {"EF 0001 without a credential", "00B0000011", 0x6982, 0},
      {"select EF 0002", "00A4020C020002", 0x9000, 0},
      {"EF 0002 without a credential", "00B0000007", 0x6982, 0},
      {"select EF 0003", "00A4020C020003", 0x9000, 0},
      {"EF 0003 without a credential", "00B00000000150", 0x6982, 0},
      {"select EF 0006", "00A4020C020006", 0x9000, 0},
      {"EF 0006 without a credential", "00B0000000", 0x6982, 0},
      {"select EF 0007", "00A4020C020007", 0x9000, 0},
      {"EF 0007 without a credential", "00B0000000", 0x6982, 0},
      {"select EF 0008", "00A4020C020008", 0x9000, 0},
      {"select a file that is not there", "00A4020C020009", 0x6A82, 0},
      {"GET CHALLENGE of 8", "0084000008", 0x9000, 8},
      {"GET CHALLENGE of 16", "0084000010", 0x6700, 0},
      {"PIN-less signature over a DigestInfo", ("802A000033" + kDigestInfo + "00").c_str(), 0x9000, 256},
      {"PIN-less signature without Le", ("802A000033" + kDigestInfo).c_str(), 0x6700, 0},
      {"PIN-less signature over a SHA-1 DigestInfo", "802A00002330213009060523" "0E03021A05000414" "1111111111111111111111111111111111111111" "00", 0x6A80, 0},
      {"an instruction the card does not have", "00CA000000", 0x6D00, 0},
      {"select by a partial AID (the JPKI AP's RID + 1)", "00A4040C06D392F0002601", 0x9000, 0},
      {"…which selected the JPKI AP", "00A4020C02000A", 0x9000, 0},
      {"select by a 4-byte AID", "00A4040C04D3921000", 0x6A82, 0},
  });
}

TEST_F(CardConformanceTest, VerificationNumberBOpensTheItemsNotTheIndividualNumber) {
  ASSERT_TRUE(stack_->insertCard(profile()));
  RawCard card(stack_->reader());
  ASSERT_TRUE(card.ok());
  const std::string b = "002000800E" + toHex(asBytes(std::string_view("55021720352285")));
  const std::string wrongB = "002000800E" + toHex(asBytes(std::string_view("55021720359999")));
  runTable(card, {
      {"select the text input assist AP", kText, 0x9000, 0},
      {"select EF 0015", "00A4020C020015", 0x9000, 0},
      {"a wrong B", wrongB.c_str(), 0x63C9, 0},
      {"B of 13 digits: refused, no try", "002000800D35353032313732303335323238", 0x6700, 0},
      {"B's query", "00200080", 0x63C9, 0},
      {"the right B", b.c_str(), 0x9000, 0},
      {"B's query once verified", "00200080", 0x9000, 0},
      {"select EF 0002", "00A4020C020002", 0x9000, 0},
      {"EF 0002 with B", "00B0000007", 0x9000, 7, "FF20"},
      {"select EF 0003", "00A4020C020003", 0x9000, 0},
      {"EF 0003 with B, one extended read", "00B00000000150", 0x9000, 336, "FF3082014BDF3120"},
      {"select EF 0007", "00A4020C020007", 0x9000, 0},
      {"EF 0007 with B", "00B0000000", 0x9000, -1, "FF50"},
      {"select EF 0001", "00A4020C020001", 0x9000, 0},
      {"EF 0001 is not opened by B", "00B0000011", 0x6982, 0},
      {"select PIN EF 0011", "00A4020C020011", 0x9000, 0},
      {"the PIN's counter is untouched by B", "00200080", 0x63C3, 0},
      {"re-select the AP: security state dropped", kText, 0x9000, 0},
      {"select EF 0002", "00A4020C020002", 0x9000, 0},
      {"EF 0002 again needs a credential", "00B0000007", 0x6982, 0},
      {"select EF 0015", "00A4020C020015", 0x9000, 0},
      {"a right B reset B's counter", "00200080", 0x63CA, 0},
  });
}

TEST_F(CardConformanceTest, JpkiSigningKeySignsWithTheSigningPin) {
  ASSERT_TRUE(stack_->insertCard(profile()));
  RawCard card(stack_->reader());
  ASSERT_TRUE(card.ok());
  const std::string sign = "802A008033" + kDigestInfo + "00";
  runTable(card, {
      {"select the JPKI AP", kJpki, 0x9000, 0},
      {"select the auth certificate", "00A4020C02000A", 0x9000, 0},
      {"auth certificate head, no PIN", "00B0000004", 0x9000, 4, "3082"},
      {"select the signing certificate", "00A4020C020001", 0x9000, 0},
      {"signing certificate before its PIN", "00B0000004", 0x6982, 0},
      {"select the signing key", "00A4020C02001A", 0x9000, 0},
      {"signing key before its PIN", sign.c_str(), 0x6982, 0},
      {"select the signing PIN", "00A4020C02001B", 0x9000, 0},
      {"signing PIN query: 5", "00200080", 0x63C5, 0},
      {"VERIFY the signing PIN", ("0020008008" + toHex(asBytes(std::string_view("SIGN1234")))).c_str(), 0x9000, 0},
      {"select the signing key", "00A4020C02001A", 0x9000, 0},
      {"the signing key signs", sign.c_str(), 0x9000, 256},
      {"select the signing certificate", "00A4020C020001", 0x9000, 0},
      {"signing certificate after its PIN", "00B0000004", 0x9000, 4, "3082"},
      {"select the auth PIN", "00A4020C020018", 0x9000, 0},
      {"auth PIN query", "00200080", 0x63C3, 0},
  });
}

TEST_F(CardConformanceTest, OlderAndStricterVariantsAnswerAsProfiled) {
  // A short-only card with the 10-byte EF 0005 and no PIN-less signature.
  ASSERT_TRUE(stack_->insertCard(profile(R"("extendedLength":false,"apInfo":"short","pinlessSignature":false)")));
  {
    RawCard card(stack_->reader());
    ASSERT_TRUE(card.ok());
    runTable(card, {
        {"select the text input assist AP", kText, 0x9000, 0},
        {"select EF 0005", "00A4020C020005", 0x9000, 0},
        {"EF 0005 of 10 bytes: DF41 says no extended length", "00B0000000", 0x9000, 10, "FF4007DF410401000E01"},
        {"an extended read", "00B00000000150", 0x6700, 0},
        {"no PIN-less signature", ("802A000033" + kDigestInfo + "00").c_str(), 0x6D00, 0},
    });
  }
  // A current card in a reader that does not carry extended APDUs: the reader answers 67 00.
  ASSERT_TRUE(stack_->insertCard(profile({}, R"("reader":{"extendedLength":false})")));
  RawCard card(stack_->reader());
  ASSERT_TRUE(card.ok());
  runTable(card, {
      {"select the text input assist AP", kText, 0x9000, 0},
      {"select EF 0004", "00A4020C020004", 0x9000, 0},
      {"an extended read, refused by the reader", "00B00000000238", 0x6700, 0},
      {"the same short", "00B0000000", 0x9000, 256, "7F21"},
  });
}

// --- An independent reader, from the public readers' documented APDUs -----------------------

struct Ber {
  std::uint32_t tag = 0;
  std::size_t header = 0, length = 0;
};

// Tag of one or two bytes, length short or 81/82: as much BER as the readers use.
std::optional<Ber> ber(ByteView in) {
  Ber b;
  std::size_t at = 0;
  if (in.size() < 2) return std::nullopt;
  b.tag = in[at++];
  if ((b.tag & 0x1F) == 0x1F) b.tag = b.tag << 8 | in[at++];
  if (at >= in.size()) return std::nullopt;
  const std::uint8_t first = in[at++];
  if (first < 0x80) {
    b.length = first;
  } else {
    const std::size_t n = first & 0x7F;
    if (n == 0 || n > 2 || at + n > in.size()) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) b.length = b.length << 8 | in[at++];
  }
  b.header = at;
  return b;
}

// jpki/myna's read_binary_all: 7 bytes, the size from their BER header, the rest in reads of at
// most 256 (Le 00 for more than 255).
Bytes readAll(RawCard& card) {
  Answer head = card.send("00B0000007");
  if (head.sw != 0x9000) return {};
  auto h = ber(head.data);
  if (!h) return {};
  Bytes file = head.data;
  while (file.size() < h->header + h->length) {
    const std::size_t left = h->header + h->length - file.size();
    char cmd[16];
    std::snprintf(cmd, sizeof cmd, "00B0%04zX%02zX", file.size(), left > 255 ? 0 : left);
    Answer part = card.send(cmd);
    if (part.sw != 0x9000 || part.data.empty()) return {};
    file.insert(file.end(), part.data.begin(), part.data.end());
  }
  return file;
}

// The TLVs inside a constructed value, in order.
std::vector<std::pair<std::uint32_t, Bytes>> children(const Bytes& file) {
  std::vector<std::pair<std::uint32_t, Bytes>> out;
  auto outer = ber(file);
  if (!outer) return out;
  ByteView rest = ByteView(file).subspan(outer->header, outer->length);
  while (auto t = ber(rest)) {
    if (t->header + t->length > rest.size()) break;
    out.emplace_back(t->tag, Bytes(rest.begin() + t->header, rest.begin() + t->header + t->length));
    rest = rest.subspan(t->header + t->length);
  }
  return out;
}

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

TEST_F(CardConformanceTest, AnIndependentReaderReadsTheTextAssistApplet) {
  ASSERT_TRUE(stack_->insertCard(profile()));
  RawCard card(stack_->reader());
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card.send(kText).sw, 0x9000);
  // basic_info: EF 0005's first two TLVs are the AP id and the public key id.
  ASSERT_EQ(card.send("00A4020C020005").sw, 0x9000);
  auto info = children(readAll(card));
  ASSERT_GE(info.size(), 3u);
  EXPECT_EQ(info[0].first, 0xDF41u);
  EXPECT_EQ(info[1].first, 0xDF42u);
  EXPECT_EQ(info[1].second.size(), 16u);
  EXPECT_EQ(info[2].first, 0xDF43u);
  EXPECT_EQ(info[2].second.size(), 128u);

  // attrs: PIN, then EF 0002's children after the offset table are name, address, birth, sex.
  ASSERT_EQ(card.send("00A4020C020011").sw, 0x9000);
  ASSERT_EQ(card.send("00200080").sw, 0x63C3);
  ASSERT_EQ(card.send("002000800431323334").sw, 0x9000);
  ASSERT_EQ(card.send("00A4020C020002").sw, 0x9000);
  auto attrs = children(readAll(card));
  ASSERT_EQ(attrs.size(), 5u);
  EXPECT_EQ(text(attrs[1].second), "見本　太郎");
  EXPECT_EQ(text(attrs[2].second), "東京都千代田区霞が関二丁目１番２号");
  EXPECT_EQ(text(attrs[3].second), "19800217");
  EXPECT_EQ(text(attrs[4].second), "1");
  // mynumber: 17 bytes, FF 10 0C + digits (+ filler).
  ASSERT_EQ(card.send("00A4020C020001").sw, 0x9000);
  Answer number = card.send("00B0000011");
  ASSERT_EQ(number.sw, 0x9000);
  EXPECT_EQ(text(Bytes(number.data.begin() + 3, number.data.begin() + 15)), "123456789018");

  // EF 0003 in one extended read, its signature checked with the key of EF 0004.
  ASSERT_EQ(card.send("00A4020C020004").sw, 0x9000);
  const Bytes cvc = readAll(card);
  auto body = children(cvc);
  ASSERT_EQ(body.size(), 2u);
  ByteView keyTlvs = ByteView(body[0].second).subspan(32);
  auto exponent = ber(keyTlvs);
  ASSERT_TRUE(exponent && exponent->tag == 0x90);
  ByteView modulusTlv = keyTlvs.subspan(exponent->header + exponent->length);
  auto modulus = ber(modulusTlv);
  ASSERT_TRUE(modulus && modulus->tag == 0x91);
  auto appletKey = crypto::RsaPublicKey::fromModulus(modulusTlv.subspan(modulus->header, modulus->length),
                                                     keyTlvs.subspan(exponent->header, exponent->length));
  ASSERT_TRUE(appletKey.has_value());
  ASSERT_EQ(card.send("00A4020C020003").sw, 0x9000);
  Answer integrity = card.send("00B00000000150");
  ASSERT_EQ(integrity.sw, 0x9000);
  ASSERT_EQ(integrity.data.size(), 336u);
  auto record = children(integrity.data);
  ASSERT_EQ(record.size(), 3u);
  const ByteView signedPart = ByteView(integrity.data).subspan(5, 70);
  EXPECT_TRUE(appletKey->verifySha256(signedPart, record[2].second));
}

}  // namespace
}  // namespace kakanai::testing
