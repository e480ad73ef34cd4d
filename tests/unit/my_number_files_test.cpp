#include "card/my_number_files.h"
#include "card/verification_b.h"

#include <gtest/gtest.h>

#include "card/ber_tlv.h"
#include "card/issuer_trust.h"
#include "crypto/rsa.h"

namespace kakanai::card {
namespace {

namespace ta = text_assist;

// EF 0002 as our builder lays it out, from the four items.
Bytes basicInfo(std::string_view name, std::string_view address, std::string_view birth, std::string_view sex) {
  Bytes items;
  std::vector<std::size_t> starts;
  for (auto [tag, v] : {std::pair<std::uint32_t, std::string_view>{ta::kTagName, name},
                        {ta::kTagAddress, address}, {ta::kTagBirthDate, birth}, {ta::kTagSex, sex}}) {
    starts.push_back(items.size());
    appendTlv(items, tag, asBytes(v));
  }
  Bytes header;
  appendTlvHeader(header, ta::kTagBasicInfo, 11 + items.size());
  Bytes table;
  for (auto s : starts) {
    const auto at = header.size() + 11 + s;
    table.push_back(static_cast<std::uint8_t>(at >> 8));
    table.push_back(static_cast<std::uint8_t>(at));
  }
  Bytes file = header;
  appendTlv(file, ta::kTagOffsets, table);
  file.insert(file.end(), items.begin(), items.end());
  return file;
}

TEST(BasicInfoFile, MatchesThePublicTestCardLayout) {
  // CARD.md: a public test card's file begins FF 20 65 DF 21 08 00 0E 00 20 00 59 00 64 DF 22 0F.
  const Bytes f = basicInfo("黒桐　幹也", "東京都清瀬市観布子南１２－７－２０２", "19800217", "1");
  EXPECT_EQ(toHex(ByteView(f).subspan(0, 17)), "FF2065DF2108000E002000590064DF220F");
  auto parsed = parseBasicInfoFile(f);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->person.name.view(), "黒桐　幹也");
  EXPECT_EQ(parsed->person.address.view(), "東京都清瀬市観布子南１２－７－２０２");
  EXPECT_EQ(parsed->person.birthDate.view(), "1980-02-17");
  EXPECT_EQ(parsed->person.sex, Sex::Male);
  // DF32 covers DF22 to the end of the FF20 value.
  EXPECT_EQ(parsed->digestSource.data(), f.data() + 14);
  EXPECT_EQ(parsed->digestSource.size(), f.size() - 14);
}

TEST(BasicInfoFile, KeepsNonBmpAndVariationSelectorsByteExact) {
  const std::string name = "葛\xF3\xA0\x84\x80城　𠮷彦";  // U+845B U+E0100 ... U+20BB7
  const Bytes f = basicInfo(name, "奈良県葛城市柿本１６６番地", "20190501", "1");
  auto parsed = parseBasicInfoFile(f);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->person.name.view(), name);
}

TEST(BasicInfoFile, LongAddressUsesLongFormLengths) {
  std::string address;
  for (int i = 0; i < 60; ++i) address += "丁";
  const Bytes f = basicInfo("佐々木　久美子", address, "19261225", "2");
  auto parsed = parseBasicInfoFile(f);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->person.address.view(), address);
}

TEST(BasicInfoFile, RejectsMalformedFiles) {
  const Bytes good = basicInfo("山田　太郎", "東京都", "19800401", "1");
  auto code = [](const Bytes& f) {
    auto r = parseBasicInfoFile(f);
    return r.ok() ? ErrorCode::Internal : r.error().code;
  };
  Bytes badOffset = good;
  badOffset[7] ^= 0x01;
  EXPECT_EQ(code(badOffset), ErrorCode::CardError);
  Bytes truncated(good.begin(), good.end() - 3);
  EXPECT_EQ(code(truncated), ErrorCode::CardError);
  EXPECT_EQ(code(basicInfo("山田", "東京都", "19800231", "1")), ErrorCode::CardError);  // no Feb 31
  EXPECT_EQ(code(basicInfo("山田", "東京都", "1980040A", "1")), ErrorCode::CardError);
  EXPECT_EQ(code(basicInfo("山田", "東京都", "19800401", "3")), ErrorCode::CardError);
  EXPECT_EQ(code(basicInfo("\xE3\x81", "東京都", "19800401", "1")), ErrorCode::CardError);  // cut UTF-8
  Bytes wrongTag = good;
  wrongTag[1] = 0x21;
  EXPECT_EQ(code(wrongTag), ErrorCode::CardError);
}

TEST(Normalise, SexFollowsIso5218) {
  EXPECT_EQ(normaliseSex(asBytes("1")), Sex::Male);
  EXPECT_EQ(normaliseSex(asBytes("2")), Sex::Female);
  EXPECT_EQ(normaliseSex(asBytes("9")), Sex::Unspecified);
  EXPECT_EQ(normaliseSex(asBytes("0")), Sex::Unspecified);
  EXPECT_FALSE(normaliseSex(asBytes("3")));
  EXPECT_FALSE(normaliseSex(asBytes("12")));
}

TEST(Normalise, BirthDates) {
  EXPECT_EQ(normaliseBirthDate(asBytes("19890107"))->view(), "1989-01-07");
  EXPECT_EQ(normaliseBirthDate(asBytes("20000229"))->view(), "2000-02-29");
  EXPECT_FALSE(normaliseBirthDate(asBytes("19000229")));  // not a leap year
  EXPECT_FALSE(normaliseBirthDate(asBytes("19891301")));
  EXPECT_FALSE(normaliseBirthDate(asBytes("1989010")));
}

TEST(MyNumberFile, ParsesAndChecksTheCheckDigit) {
  Bytes f = {0xFF, 0x10, 0x0C};
  for (char c : std::string("123456789018")) f.push_back(static_cast<std::uint8_t>(c));
  f.push_back(0xFF);
  f.push_back(0xFF);
  auto n = parseMyNumberFile(f);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->view(), "123456789018");
  f[14] = '7';
  EXPECT_FALSE(parseMyNumberFile(f).ok());
  EXPECT_TRUE(isValidMyNumber("000000000000"));
  EXPECT_FALSE(isValidMyNumber("12345678901"));
}

TEST(IssuerTrust, ProductionOnlyByDefault) {
  const auto production = IssuerTrustStore::builtIn(false);
  EXPECT_NE(production.find(textAssistKeyId("5000033")), nullptr);
  EXPECT_EQ(production.find(textAssistKeyId("6000033")), nullptr);
  EXPECT_EQ(production.find(textAssistKeyId(kKakanaiTestIssuerNumber)), nullptr);
  const auto test = IssuerTrustStore::builtIn(true);
  EXPECT_NE(test.find(textAssistKeyId("6000033")), nullptr);
  EXPECT_NE(test.find(textAssistKeyId(kKakanaiTestIssuerNumber)), nullptr);
  EXPECT_EQ(production.find(textAssistKeyId("5000033"))->key.modulus().size(), 256u);
}

// EF 0005 in both shapes readers meet: the 10-byte file of DF41 alone, and the ~256-byte one
// with DF41, DF42 (16-byte key id) and DF43 (128 bytes) in two-byte lengths, padded.
TEST(ApInfoFile, BothShapesParseAndByte2SaysExtendedLength) {
  auto shortFile = parseApInfoFile(*fromHex("FF4007DF410401000E01"));
  ASSERT_TRUE(shortFile.has_value());
  EXPECT_FALSE(shortFile->extendedLength);
  EXPECT_FALSE(shortFile->keyId.has_value());
  Bytes file = *fromHex("FF4082009F" "DF410401030E01" "DF4210" + std::string(32, '3') + "DF43820080" + std::string(256, 'A'));
  EXPECT_EQ(file.size(), 5u + 0x9Fu);
  file.resize(256, 0xFF);
  auto fullFile = parseApInfoFile(file);
  ASSERT_TRUE(fullFile.has_value());
  EXPECT_TRUE(fullFile->extendedLength);
  ASSERT_TRUE(fullFile->keyId.has_value());
  EXPECT_EQ(fullFile->keyId->size(), 16u);
  EXPECT_FALSE(parseApInfoFile(*fromHex("FF4007DF420401030E01")).has_value());  // no DF41
  EXPECT_FALSE(parseApInfoFile(*fromHex("FF4006DF41030103")).has_value());      // DF41 of 3 bytes
  EXPECT_FALSE(parseApInfoFile(*fromHex("FF4009DF410401")).has_value());        // truncated
}

// The era year of the birth date, as printed on the card face: every era's first and last days,
// 元年 as 01, then the expiry year and the security code.
TEST(VerificationB, BuiltFromTheCardFaceWithTheEraYear) {
  const std::pair<const char*, const char*> cases[] = {
      {"1980-02-17", "55021720352285"},  // CARD.md's example: 昭和55年2月17日
      {"1926-12-25", "01122520352285"},  // 昭和元年
      {"1926-12-24", "15122420352285"},  // 大正15年
      {"1912-07-30", "01073020352285"},  // 大正元年
      {"1912-07-29", "45072920352285"},  // 明治45年
      {"1989-01-07", "64010720352285"},  // 昭和64年
      {"1989-01-08", "01010820352285"},  // 平成元年
      {"2019-04-30", "31043020352285"},  // 平成31年
      {"2019-05-01", "01050120352285"},  // 令和元年
      {"2024-02-29", "06022920352285"},  // 令和6年, a leap day
  };
  for (const auto& [birth, digits] : cases) {
    auto b = verificationBFromCardFace(birth, "2035", "2285");
    ASSERT_TRUE(b.has_value()) << birth;
    EXPECT_EQ(b->view(), digits) << birth;
    EXPECT_TRUE(isWellFormedVerificationB(b->view())) << birth;
  }
  EXPECT_FALSE(verificationBFromCardFace("2023-02-29", "2035", "2285").has_value());  // never existed
  EXPECT_FALSE(verificationBFromCardFace("1980-02-17", "35", "2285").has_value());
  EXPECT_FALSE(verificationBFromCardFace("1980-02-17", "2035", "228").has_value());
  EXPECT_FALSE(verificationBFromCardFace("1980-02-17", "2035", "22a5").has_value());
  EXPECT_FALSE(verificationBFromCardFace("19800217", "2035", "2285").has_value());
}

}  // namespace
}  // namespace kakanai::card
