// The card layer through the real stack: pcscd + vsmartcard vpcd + kakanai-virtual-card, driven
// through the kakanai-agent command line as staff and tests use it.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <map>

#include "card/card_session.h"
#include "card/text_assist_applet.h"
#include "crypto/x509.h"
#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

std::string sexDigit(const std::string& sex) { return sex == "male" ? "1" : sex == "female" ? "2" : "9"; }

// The profile with textAssist fields added or replaced (values as JSON literals).


// Our own JPKI reader over PC/SC, positioned in the selected JPKI applet.
struct JpkiOverPcsc {
  explicit JpkiOverPcsc(const std::string& reader) {
    auto channel = card::makePcscReaderSystem()->connect(reader);
    if (channel.ok()) conn = std::make_unique<card::CardConnection>(std::move(*channel));
    if (conn) jpki = std::make_unique<card::JpkiApplet>(*conn);
    selected = jpki && jpki->select().ok();
  }
  Bytes authCertificate() {
    auto cert = jpki->readAuthCertificate();
    return cert.ok() ? Bytes(cert->begin(), cert->end()) : Bytes{};
  }
  std::unique_ptr<card::CardConnection> conn;
  std::unique_ptr<card::JpkiApplet> jpki;
  bool selected = false;
};

class CardStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    stack_ = std::make_unique<PcscStack>(dir_.path());
    ASSERT_TRUE(stack_->start()) << slurp(dir_.path() / "pcscd.err");
  }
  void TearDown() override { stack_.reset(); }

  Poco::JSON::Object::Ptr readJson(const RunResult& r) {
    EXPECT_FALSE(r.out.empty()) << r.err;
    return parseJson(r.out);
  }
  std::string errorCode(const RunResult& r) {
    auto o = readJson(r);
    return o->getObject("error")->getValue<std::string>("code");
  }
  int pinRetries() {
    auto r = stack_->agent({"card-status", "--reader", stack_->reader()});
    return readJson(r)->getValue<int>("pinRetries");
  }

  TempDir dir_;
  std::unique_ptr<PcscStack> stack_;
};

TEST_F(CardStackTest, EveryResidentInTheSharedCasesIsReadExactly) {
  const auto cases = parseJson(slurp(std::filesystem::path(KAKANAI_SHARED_DIR) / "cases" / "residents.json"));
  const auto residents = cases->getArray("residents");
  ASSERT_GE(residents->size(), 8u);
  for (std::size_t i = 0; i < residents->size(); ++i) {
    const auto r = residents->getObject(static_cast<unsigned>(i));
    const auto id = r->getValue<std::string>("id");
    const auto name = r->getValue<std::string>("name");
    const auto address = r->getValue<std::string>("address");
    const auto birth = r->getValue<std::string>("birthDate");
    const auto sex = r->getValue<std::string>("sex");
    const auto pin = r->getValue<std::string>("pin");
    // Every other resident on a short-only card with the older 10-byte EF 0005; the agent is told
    // the reader carries extended APDUs, so each card is read the way it allows.
    const bool extendedCard = i % 2 == 0;
    std::string profile = residentProfile(name, address, birth, sexDigit(sex), pin);
    if (!extendedCard) profile = withTextAssist(profile, {{"extendedLength", "false"}, {"apInfo", "\"short\""}});
    ASSERT_TRUE(stack_->insertCard(profile)) << id;

    auto status = readJson(stack_->agent({"card-status"}));
    EXPECT_EQ(status->getValue<std::string>("kind"), "mynumber") << id;
    EXPECT_EQ(status->getValue<int>("pinRetries"), 3) << id;

    auto result = stack_->agent({"card-read", "--trust-test-issuer", "--extended-length", "assumed"}, pin + "\n");
    ASSERT_EQ(result.exitCode, 0) << id << ": " << result.out << result.err;
    auto person = readJson(result)->getObject("person");
    EXPECT_EQ(person->getValue<std::string>("name"), name) << id;  // byte-equal, IVS and non-BMP included
    EXPECT_EQ(person->getValue<std::string>("address"), address) << id;
    EXPECT_EQ(person->getValue<std::string>("birthDate"), birth) << id;
    EXPECT_EQ(person->getValue<std::string>("sex"), sex) << id;
    EXPECT_FALSE(person->has("myNumber")) << id;
    EXPECT_TRUE(readJson(result)->getValue<bool>("authentic")) << id;
    EXPECT_EQ(readJson(result)->getValue<int>("apdus"), extendedCard ? 12 : 15) << id;

    // Nothing of the resident leaves the agent except its answer: not its diagnostics, not the
    // card's command log (which records headers, never data).
    std::string compactBirth = birth;
    std::erase(compactBirth, '-');
    for (const std::string& secret : {name, address, birth, compactBirth, pin}) {
      EXPECT_EQ(result.err.find(secret), std::string::npos) << id;
      EXPECT_EQ(stack_->apduLog().find(secret), std::string::npos) << id;
    }
  }
}

TEST_F(CardStackTest, WrongPinCountsDownTheLastTryIsGuardedAndALockedCardSaysSo) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都千代田区霞が関二丁目１番２号", "1980-04-01", "1", "1234")));
  auto r = stack_->agent({"card-read"}, "9999\n");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(errorCode(r), "pin_wrong");
  EXPECT_EQ(readJson(r)->getObject("error")->getValue<int>("retriesLeft"), 2);
  EXPECT_EQ(pinRetries(), 2);
  r = stack_->agent({"card-read"}, "9999\n");
  EXPECT_EQ(readJson(r)->getObject("error")->getValue<int>("retriesLeft"), 1);
  EXPECT_EQ(stack_->pinTries(), 2);

  // Last try: refused, and the card's own log and counter show nothing was tried.
  r = stack_->agent({"card-read"}, "1234\n");
  EXPECT_EQ(errorCode(r), "pin_last_try");
  EXPECT_EQ(stack_->pinTries(), 2);
  EXPECT_EQ(pinRetries(), 1);

  r = stack_->agent({"card-read", "--allow-last-try"}, "9999\n");
  EXPECT_EQ(errorCode(r), "pin_locked");
  EXPECT_EQ(pinRetries(), 0);
  r = stack_->agent({"card-read", "--allow-last-try"}, "1234\n");
  EXPECT_EQ(errorCode(r), "pin_locked");
  EXPECT_EQ(stack_->pinTries(), 3);
}

TEST_F(CardStackTest, MalformedPinReachesNoCard) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  const std::size_t before = stack_->apduLog().size();
  for (const char* pin : {"12a4\n", "12345\n", "\n", "１２３４\n"}) {
    auto r = stack_->agent({"card-read"}, pin);
    EXPECT_NE(r.exitCode, 0);
    EXPECT_EQ(errorCode(r), "pin_format") << pin;
  }
  EXPECT_EQ(stack_->apduLog().size(), before);  // not one command reached the card
  EXPECT_EQ(pinRetries(), 3);
}

TEST_F(CardStackTest, IndividualNumberOnlyWhenConfigurationAndRequestBothAsk) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  auto r = stack_->agent({"card-read", "--include-my-number"}, "1234\n");
  EXPECT_FALSE(readJson(r)->getObject("person")->has("myNumber"));
  // EF 0001 was neither selected nor read: the card saw the same 13 commands as any read.
  const std::string log = stack_->apduLog();
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 13) << log;
  r = stack_->agent({"card-read", "--include-my-number", "--allow-my-number", "--trust-test-issuer"}, "1234\n");
  auto json = readJson(r);
  EXPECT_EQ(json->getObject("person")->getValue<std::string>("myNumber"), "123456789018");
  EXPECT_TRUE(json->getValue<bool>("authentic"));
  EXPECT_EQ(r.err.find("123456789018"), std::string::npos);
}

TEST_F(CardStackTest, TamperedSignatureIsReportedAsNotAuthentic) {
  ASSERT_TRUE(stack_->insertCard(
      residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234", "\"faults\":{\"tamperSignature\":true}")));
  auto r = stack_->agent({"card-read", "--trust-test-issuer"}, "1234\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_FALSE(readJson(r)->getValue<bool>("authentic"));
  // And without trusting the test issuer even an untampered card is not authentic.
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  r = stack_->agent({"card-read"}, "1234\n");
  EXPECT_FALSE(readJson(r)->getValue<bool>("authentic"));
}

TEST_F(CardStackTest, CardPulledMidReadReportsCardRemovedAndTheNextReadWorks) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234",
                                                 "\"faults\":{\"removeAfterApdus\":7,\"reinsertAfterMs\":1500}")));
  auto r = stack_->agent({"card-read", "--trust-test-issuer"}, "1234\n");
  EXPECT_NE(r.exitCode, 0);
  EXPECT_EQ(errorCode(r), "card_removed") << r.out << r.err;
  ASSERT_TRUE(stack_->waitForCard(true));
  r = stack_->agent({"card-read", "--trust-test-issuer"}, "1234\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_TRUE(readJson(r)->getValue<bool>("authentic"));
  EXPECT_EQ(pinRetries(), 3);
}

TEST_F(CardStackTest, NoCardAndNoReaderAreReported) {
  auto r = stack_->agent({"card-status", "--reader", stack_->reader()});
  auto status = readJson(r);
  EXPECT_FALSE(status->getValue<bool>("present"));
  EXPECT_EQ(status->getValue<std::string>("kind"), "none");
  r = stack_->agent({"card-read", "--reader", stack_->reader()}, "1234\n");
  EXPECT_EQ(errorCode(r), "no_card");
  r = stack_->agent({"card-read", "--reader", "No Such Reader 00 00"}, "1234\n");
  EXPECT_EQ(errorCode(r), "no_reader");
  stack_->stop();
  r = stack_->agent({"card-status"});
  EXPECT_EQ(errorCode(r), "no_reader");
}

std::vector<std::pair<std::string, std::string>> events(const std::string& lines) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto o = parseJson(line);
    out.emplace_back(o->getValue<std::string>("event"), o->getObject("data")->getValue<std::string>("reader"));
  }
  return out;
}

TEST_F(CardStackTest, ReaderAndCardEventsFollowTheHardware) {
  Process watch({kAgent, "watch", "--seconds", "30"}, dir_.path() / "watch.out", dir_.path() / "watch.err");
  const auto has = [&](const std::string& ev, const std::string& reader, std::size_t times = 1) {
    return eventually([&] {
      std::size_t n = 0;
      for (const auto& e : events(slurp(dir_.path() / "watch.out"))) n += (e.first == ev && e.second == reader);
      return n >= times;
    });
  };
  EXPECT_TRUE(has("reader.added", stack_->reader()));
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  EXPECT_TRUE(has("card.inserted", stack_->reader()));
  stack_->removeCard();
  EXPECT_TRUE(has("card.removed", stack_->reader()));
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  EXPECT_TRUE(has("card.inserted", stack_->reader(), 2));

  // The reader goes away (pcscd stops, as when the reader's service or USB link dies) and comes
  // back under another name.
  stack_->removeCard();
  stack_->stop();
  EXPECT_TRUE(has("reader.removed", stack_->reader()));
  PcscStack other(dir_.path() / "other", "Kakanai Second vpcd");
  ASSERT_TRUE(other.start());
  EXPECT_TRUE(has("reader.added", other.reader()));
  watch.stop();
  const std::string all = slurp(dir_.path() / "watch.out");
  EXPECT_NE(all.find("\"kind\":\"mynumber\""), std::string::npos) << all;
}

// A resident's verified PIN never outlives the agent's transaction: a second handle that was
// waiting for the card (another counter, another program on the PC) finds it reset, even while
// the first handle is still connected.
TEST_F(CardStackTest, AVerifiedPinDoesNotReachTheNextHandleOnTheCard) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("見本　太郎", "東京都", "19800401", "1", "1234")));
  auto readers = card::makePcscReaderSystem();
  auto first = readers->connect(stack_->reader());
  auto second = readers->connect(stack_->reader());
  ASSERT_TRUE(first.ok() && second.ok());
  card::CardConnection a(std::move(*first)), b(std::move(*second));
  {
    card::CardTransaction transaction(a.channel());
    ASSERT_TRUE(transaction.status().ok());
    transaction.resetCardOnEnd();
    card::TextAssistApplet applet(a);
    ASSERT_TRUE(applet.select().ok());
    ASSERT_TRUE(applet.pinCounter().ok());
    const std::string pin = "1234";
    ASSERT_TRUE(applet.verifyPin(asBytes(pin)).ok());
    ASSERT_TRUE(applet.readBasicInfoFile().ok());
  }
  {
    card::CardTransaction transaction(b.channel());
    ASSERT_TRUE(transaction.status().ok()) << transaction.status().error().diagnostic;
    // Straight to the file, as a program would that knows where the first one left the card.
    card::TextAssistApplet applet(b);
    auto basic = applet.readBasicInfoFile();
    EXPECT_FALSE(basic.ok()) << "the next handle read the resident's data on the first one's PIN";
  }
  a.close(false);
  b.close(false);
  EXPECT_EQ(pinRetries(), 3);
}

TEST_F(CardStackTest, JpkiCertificatesAndChallengeResponseOverPcsc) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("窓口　一郎", "東京都", "1970-01-01", "1", "1234",
                                                 "\"jpki\":{\"authPin\":\"8642\"}")));
  JpkiOverPcsc card(stack_->reader());
  ASSERT_TRUE(card.selected);
  card::JpkiApplet& jpki = *card.jpki;
  auto info = crypto::parseCertificateDer(card.authCertificate());
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->publicKey.has_value());
  auto ca = jpki.readAuthCaCertificate();
  ASSERT_TRUE(ca.ok());
  EXPECT_TRUE(crypto::parseCertificateDer(Bytes(ca->begin(), ca->end())).has_value());

  // Without the PIN the auth key does not sign; with it, the signature verifies under the
  // certificate's key — a copied certificate alone could not do this.
  const auto digest = crypto::sha256(asBytes("attendance challenge"));
  Bytes digestInfo(crypto::sha256DigestInfoPrefix().begin(), crypto::sha256DigestInfoPrefix().end());
  digestInfo.insert(digestInfo.end(), digest.begin(), digest.end());
  auto refused = jpki.signWithAuthKey(digestInfo);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().sw, 0x6982);
  auto counter = jpki.authPinCounter();
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(counter->retries, 3);
  ASSERT_TRUE(jpki.verifyAuthPin(asBytes("8642")).ok());
  auto signature = jpki.signWithAuthKey(digestInfo);
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(info->publicKey->verifyDigestInfo(digestInfo, Bytes(signature->begin(), signature->end())));
  EXPECT_TRUE(info->publicKey->verifySha256(asBytes("attendance challenge"), Bytes(signature->begin(), signature->end())));
}

TEST_F(CardStackTest, OpenScReadsTheVirtualCardsJpkiCertificates) {
  // A client nobody here wrote: OpenSC's JPKI driver and PKCS#15 emulator, through the same pcscd.
  ASSERT_TRUE(stack_->insertCard(residentProfile("受付　花子", "東京都", "1970-01-01", "2", "1234",
                                                 "\"jpki\":{\"authPin\":\"8642\",\"commonName\":\"KAKANAI OPENSC CHECK\"}")));
  auto tool = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv{"pkcs15-tool", "--reader", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, "", dir_.path());
  };
  auto list = tool({"--list-certificates"});
  ASSERT_EQ(list.exitCode, 0) << list.out << list.err;
  EXPECT_NE(list.out.find("User Authentication Certificate"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("Path           : 000a"), std::string::npos) << list.out;
  auto pem = tool({"--read-certificate", "1"});
  ASSERT_EQ(pem.exitCode, 0) << pem.err;
  auto der = crypto::certificatePemToDer(pem.out);
  ASSERT_TRUE(der.has_value()) << pem.out;

  // Byte for byte what our own JPKI reader gets.
  {
    JpkiOverPcsc card(stack_->reader());
    ASSERT_TRUE(card.selected);
    EXPECT_EQ(*der, card.authCertificate());
    card.conn->close(false);
  }

  auto pins = tool({"--list-pins"});
  ASSERT_EQ(pins.exitCode, 0) << pins.err;
  EXPECT_NE(pins.out.find("User Authentication PIN"), std::string::npos) << pins.out;
  EXPECT_NE(pins.out.find("Tries left"), std::string::npos) << pins.out;
}

// --- Extended length (issue 18) ------------------------------------------------------------

int countOf(const std::string& log, const std::string& what) {
  int n = 0;
  for (auto at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
  return n;
}

// Both kinds of card through pcscd: each read with the fewest APDUs it allows. vpcd reports no
// SCARD_ATTR_MAXINPUT, so by default the agent stays short; "assumed" lets the card decide.
TEST_F(CardStackTest, ExtendedAndShortOnlyCardsAreReadWithTheFewestApdusEach) {
  const std::string resident = residentProfile("山田　太郎", "東京都千代田区霞が関二丁目１番２号", "1980-04-01", "1", "1234");
  struct Case {
    const char* what;
    std::string profile;
    const char* policy;
    int apdus;
  } cases[] = {
      {"extended card, reader vouched for", resident, "assumed", 12},
      {"short-only card, 10-byte EF 0005", withTextAssist(resident, {{"extendedLength", "false"}, {"apInfo", "\"short\""}}), "assumed", 15},
      {"extended card, reader that reports nothing", resident, "reported", 13},
      {"extended card, extended length off", resident, "never", 13},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(stack_->insertCard(c.profile)) << c.what;
    auto r = stack_->agent({"card-read", "--trust-test-issuer", "--extended-length", c.policy}, "1234\n");
    ASSERT_EQ(r.exitCode, 0) << c.what << r.out << r.err;
    auto json = readJson(r);
    EXPECT_EQ(json->getObject("person")->getValue<std::string>("name"), "山田　太郎") << c.what;
    EXPECT_TRUE(json->getValue<bool>("authentic")) << c.what;
    EXPECT_EQ(json->getValue<int>("apdus"), c.apdus) << c.what;
    const std::string log = stack_->apduLog();
    EXPECT_EQ(countOf(log, "\n"), c.apdus) << c.what << log;
    EXPECT_EQ(countOf(log, "sw=6700"), 0) << c.what << log;
  }
}

TEST_F(CardStackTest, AReaderThatRefusesExtendedApdusMakesTheAgentFallBackWithoutLosingATry) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234",
                                                 "\"reader\":{\"extendedLength\":false}")));
  auto r = stack_->agent({"card-read", "--trust-test-issuer", "--extended-length", "assumed"}, "1234\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  auto json = readJson(r);
  EXPECT_TRUE(json->getValue<bool>("authentic"));
  // EF 0005 (2) + the PIN (4), one extended READ BINARY the reader refuses, then short reads (9).
  EXPECT_EQ(json->getValue<int>("apdus"), 16);
  const std::string log = stack_->apduLog();
  EXPECT_EQ(countOf(log, "00 B0 00 00 lc=0 sw=6700"), 1) << log;
  EXPECT_EQ(stack_->pinTries(), 1);
  EXPECT_EQ(pinRetries(), 3);
}

TEST_F(CardStackTest, ThePinlessSignatureProvesTheCardGenuineOverPcsc) {
  ASSERT_TRUE(stack_->insertCard(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234")));
  auto r = stack_->agent({"card-read", "--trust-test-issuer", "--card-signature"}, "1234\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_TRUE(readJson(r)->getValue<bool>("cardSignature"));
  EXPECT_EQ(countOf(stack_->apduLog(), "80 2A 00 00 lc=51 sw=9000"), 1);
  // Without trusting the test issuer the card is not proved genuine, and an older card without
  // the command is read all the same.
  r = stack_->agent({"card-read", "--card-signature"}, "1234\n");
  EXPECT_FALSE(readJson(r)->getValue<bool>("cardSignature"));
  ASSERT_TRUE(stack_->insertCard(withTextAssist(residentProfile("山田　太郎", "東京都", "1980-04-01", "1", "1234"),
                                                {{"pinlessSignature", "false"}})));
  r = stack_->agent({"card-read", "--trust-test-issuer", "--card-signature"}, "1234\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_FALSE(readJson(r)->getValue<bool>("cardSignature"));
  EXPECT_TRUE(readJson(r)->getValue<bool>("authentic"));
}

// --- Verification number B (issue 13) --------------------------------------------------------

// The era date of each shared resident's birth date as the card face prints it, worked out by
// hand from the era tables (not by the agent's conversion): YYMMDD.
const std::map<std::string, std::string> kEraBirthDates = {
    {"basic", "550401"},          // 昭和55年4月1日
    {"variant-kanji", "010108"},  // 平成元年1月8日
    {"non-bmp", "640107"},        // 昭和64年1月7日
    {"ivs", "010501"},            // 令和元年5月1日
    {"long-address", "011225"},   // 昭和元年12月25日
    {"latin-name", "070730"},     // 平成7年7月30日
    {"taisho", "010730"},         // 大正元年7月30日
    {"unspecified-sex", "130228"},  // 平成13年2月28日
};

TEST_F(CardStackTest, VerificationBFromEveryResidentsBirthDateReadsTheExactPersonAuthentic) {
  const auto residents = parseJson(slurp(std::filesystem::path(KAKANAI_SHARED_DIR) / "cases" / "residents.json"))->getArray("residents");
  for (std::size_t i = 0; i < residents->size(); ++i) {
    const auto r = residents->getObject(static_cast<unsigned>(i));
    const auto id = r->getValue<std::string>("id");
    const auto birth = r->getValue<std::string>("birthDate");
    const auto name = r->getValue<std::string>("name");
    const std::string code = std::to_string(1000 + 111 * static_cast<int>(i));
    ASSERT_TRUE(kEraBirthDates.count(id)) << id;
    const std::string digits = kEraBirthDates.at(id) + "2034" + code;
    ASSERT_TRUE(stack_->insertCard(withTextAssist(
        residentProfile(name, r->getValue<std::string>("address"), birth, sexDigit(r->getValue<std::string>("sex")),
                        r->getValue<std::string>("pin")),
        {{"securityCode", "\"" + code + "\""}, {"expiryYear", "\"2034\""}})))
        << id;
    // As printed on the card face, and as the 14 digits: both read the same person.
    for (const std::string& typed : {birth + " 2034 " + code, digits}) {
      auto result = stack_->agent({"card-read", "--verification-b", "--trust-test-issuer"}, typed + "\n");
      ASSERT_EQ(result.exitCode, 0) << id << ": " << result.out << result.err;
      auto json = readJson(result);
      EXPECT_EQ(json->getObject("person")->getValue<std::string>("name"), name) << id;
      EXPECT_EQ(json->getObject("person")->getValue<std::string>("birthDate"), birth) << id;
      EXPECT_TRUE(json->getValue<bool>("authentic")) << id;
      for (const std::string& secret : {digits, code, name}) {
        EXPECT_EQ(result.err.find(secret), std::string::npos) << id;
        EXPECT_EQ(stack_->apduLog().find(secret), std::string::npos) << id;
      }
    }
    EXPECT_EQ(stack_->pinTries(), 2) << id;  // two VERIFYs with data, both on EF 0015
    EXPECT_EQ(countOf(stack_->apduLog(), "00 20 00 80 lc=14 sw=9000"), 2) << id;
    EXPECT_EQ(pinRetries(), 3) << id;
  }
}

TEST_F(CardStackTest, WrongBSpendsOneBTryAndNoPinTryAndTheReverseAndBsLastTryIsGuarded) {
  ASSERT_TRUE(stack_->insertCard(withTextAssist(residentProfile("山田　太郎", "東京都", "1980-02-17", "1", "1234"),
                                                {{"securityCode", "\"2285\""}, {"verificationBRetries", "2"}})));
  auto status = [&] { return readJson(stack_->agent({"card-status"})); };
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 2);
  EXPECT_EQ(status()->getValue<std::string>("pinState"), "ok");
  auto r = stack_->agent({"card-read", "--verification-b"}, "55021720359999\n");
  EXPECT_EQ(errorCode(r), "pin_wrong");
  EXPECT_EQ(readJson(r)->getObject("error")->getValue<std::string>("credential"), "verificationB");
  EXPECT_EQ(readJson(r)->getObject("error")->getValue<int>("retriesLeft"), 1);
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 1);
  EXPECT_EQ(pinRetries(), 3);
  r = stack_->agent({"card-read"}, "9999\n");
  EXPECT_EQ(errorCode(r), "pin_wrong");
  EXPECT_EQ(pinRetries(), 2);
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 1);

  // B's last try: refused unless allowed; the card's log shows no VERIFY with data meanwhile.
  const int before = stack_->pinTries();
  r = stack_->agent({"card-read", "--verification-b"}, "1980-02-17 2035 2285\n");
  EXPECT_EQ(errorCode(r), "pin_last_try");
  EXPECT_EQ(stack_->pinTries(), before);
  r = stack_->agent({"card-read", "--verification-b", "--allow-last-try", "--trust-test-issuer"}, "1980-02-17 2035 2285\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_TRUE(readJson(r)->getValue<bool>("authentic"));
  EXPECT_EQ(status()->getValue<int>("verificationBRetries"), 10);
  EXPECT_EQ(pinRetries(), 2);
}

TEST_F(CardStackTest, AFaceRecognitionCardIsReadWithB) {
  ASSERT_TRUE(stack_->insertCard(withTextAssist(residentProfile("顔認　証子", "東京都", "2019-05-01", "2", "1234"),
                                                {{"pin", "null"}, {"securityCode", "\"7777\""}})));
  auto status = readJson(stack_->agent({"card-status"}));
  EXPECT_EQ(status->getValue<std::string>("pinState"), "locked");
  EXPECT_EQ(status->getValue<int>("verificationBRetries"), 10);
  auto r = stack_->agent({"card-read", "--allow-last-try"}, "1234\n");
  EXPECT_EQ(errorCode(r), "pin_locked");
  EXPECT_EQ(stack_->pinTries(), 0);
  r = stack_->agent({"card-read", "--verification-b", "--trust-test-issuer"}, "2019-05-01 2035 7777\n");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_EQ(readJson(r)->getObject("person")->getValue<std::string>("name"), "顔認　証子");
  EXPECT_TRUE(readJson(r)->getValue<bool>("authentic"));
}

TEST_F(CardStackTest, MalformedBAndTheIndividualNumberWithBReachNoCard) {
  ASSERT_TRUE(stack_->insertCard(withTextAssist(residentProfile("山田　太郎", "東京都", "1980-02-17", "1", "1234"),
                                                {{"securityCode", "\"2285\""}})));
  const std::size_t before = stack_->apduLog().size();
  for (const char* b : {"5502172035228\n", "550217203522850\n", "5502172035228a\n", "55131720352285\n",
                        "2023-02-29 2035 2285\n", "1980-02-17 35 2285\n", "1980-02-17 2035 228\n", "\n",
                        "１９８０-02-17 2035 2285\n"}) {
    auto r = stack_->agent({"card-read", "--verification-b"}, b);
    EXPECT_EQ(errorCode(r), "pin_format") << b;
    EXPECT_EQ(readJson(r)->getObject("error")->getValue<std::string>("credential"), "verificationB") << b;
  }
  auto r = stack_->agent({"card-read", "--verification-b", "--include-my-number", "--allow-my-number"}, "55021720352285\n");
  EXPECT_EQ(errorCode(r), "bad_request");
  EXPECT_EQ(r.out.find("123456789018"), std::string::npos);
  EXPECT_EQ(stack_->apduLog().size(), before);  // not one command reached the card
}

}  // namespace
}  // namespace kakanai::testing
