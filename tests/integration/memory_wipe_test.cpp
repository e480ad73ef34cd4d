// A resident who has left leaves nothing in the agent's memory. The real agent, the virtual card
// as its own process behind a real pcscd + vpcd, the card read with the PIN over the WebSocket,
// forms filled; then the live agent's whole memory (/proc/PID/mem, every readable mapping) after
// session.clear, after the session's expiry, and after a fill for a typed person and the
// connection's close: none of the resident's name, address, birth date or PIN may be found, in
// UTF-8, UTF-16LE/BE, UTF-32LE/BE or as a PDF hex string. Each test first finds the data in
// memory while the session is alive (the search works) and nothing before any resident came
// (the search finds nothing of its own accord).
#include <gtest/gtest.h>

#include "../server/agent_harness.h"
#include "memory_dump.h"
#include "pcsc_stack.h"

namespace kakanai::testing {
namespace {

struct Resident {
  std::string name, address, birthDate, sex, pin;
};

Resident resident(const std::string& id) {
  auto all = parseJson(slurp(std::string(KAKANAI_SHARED_DIR) + "/cases/residents.json"))->getArray("residents");
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto r = all->getObject(static_cast<unsigned>(i));
    if (r->getValue<std::string>("id") == id) {
      return {r->getValue<std::string>("name"), r->getValue<std::string>("address"), r->getValue<std::string>("birthDate"),
              r->getValue<std::string>("sex"), r->getValue<std::string>("pin")};
    }
  }
  ADD_FAILURE() << "no resident " << id;
  return {};
}

std::string cardDate(const std::string& iso) { return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2); }

// Everything of `r` that must not outlive the session. The name also by its parts (a layout may
// hold family and given name apart), each unless the agent's program itself holds it (花子 is in
// the demo card's profile); the address also in pieces of six characters (a field may
// break it across lines). The PIN is four ASCII digits, which occur everywhere by chance as bare
// UTF-8, so in UTF-8 it is looked for as it travels: in the request and in the card's VERIFY APDU.
std::vector<Needle> needlesOf(const Resident& r, bool withPin) {
  std::vector<Needle> all;
  auto add = [&](const std::string& what, const std::string& utf8) {
    for (auto& n : encodingsOf(what, utf8)) all.push_back(std::move(n));
  };
  add("name", r.name);
  const auto space = r.name.find("　");
  const std::string program = slurp(kAgent);
  if (space != std::string::npos) {
    for (const auto& [what, part] : {std::pair{"family name", r.name.substr(0, space)}, std::pair{"given name", r.name.substr(space + 3)}}) {
      if (program.find(part) == std::string::npos) add(what, part);
    }
  }
  add("address", r.address);
  const std::u32string address = utf32Of(r.address);
  for (std::size_t at = 0; at + 6 <= address.size(); at += 3) add("address piece " + std::to_string(at), utf8Of(address.substr(at, 6)));
  add("birth date", r.birthDate);
  add("birth date as on the card", cardDate(r.birthDate));
  if (!withPin) return all;
  for (auto& n : encodingsOf("PIN", r.pin)) {
    if (n.label != "PIN as UTF-8" && program.find(n.bytes) == std::string::npos) all.push_back(std::move(n));
  }
  all.push_back({"PIN in the request", R"("pin":")" + r.pin + "\""});
  all.push_back({"PIN in the VERIFY APDU", std::string("\x00\x20\x00\x80\x04", 5) + r.pin});
  return all;
}

std::string report(const std::map<std::string, int>& found) {
  std::string s;
  for (const auto& [label, count] : found) s += "  " + label + " ×" + std::to_string(count) + "\n";
  return s;
}

class MemoryWipe : public ::testing::Test {
 protected:
  // withPin: the test will send the resident's PIN (a typed person has none to look for).
  void start(const Resident& r, const std::string& config = "{}", bool withPin = true,
             const std::vector<std::pair<std::string, std::string>>& card = {}) {
    if (!isolated()) GTEST_SKIP() << "run through tests/integration/isolated.sh";
    resident_ = r;
    needles_ = needlesOf(r, withPin);
    stack_ = std::make_unique<PcscStack>(dir_.path());
    ASSERT_TRUE(stack_->start()) << slurp(dir_.path() / "pcscd.err");
    const char sexDigit = r.sex == "male" ? '1' : r.sex == "female" ? '2' : '9';
    ASSERT_TRUE(stack_->insertCard(
        withTextAssist(residentProfile(r.name, r.address, cardDate(r.birthDate), std::string(1, sexDigit), r.pin), card)));
    agent_ = std::make_unique<Agent>(dir_, config,
                                     std::vector<std::string>{"--trust-test-issuer", "--attendance-store",
                                                              (dir_.path() / "a.sqlite").string()},
                                     false);
    ASSERT_TRUE(agent_->ready()) << agent_->log();
    client_ = std::make_unique<Client>(agent_->port(), agent_->origin());
    ASSERT_TRUE(client_->hello()->getValue<bool>("ok"));
    std::size_t mappings = 0;
    const auto before = findNeedles(readProcessMemory(agent_->pid(), &mappings), needles_);
    ASSERT_GT(mappings, 10u) << "cannot read the agent's memory (needs CAP_SYS_PTRACE)";
    ASSERT_TRUE(before.empty()) << "found before any resident came:\n" << report(before);
  }
  std::map<std::string, int> scan() { return findNeedles(readProcessMemory(agent_->pid()), needles_); }

  // Reads the card with the PIN and fills a horizontal and a vertical form from the session.
  std::string readAndFill() {
    auto r = client_->request(R"({"id":"r","type":"card.read","pin":")" + resident_.pin + R"("})");
    EXPECT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
    if (!r->getValue<bool>("ok")) return {};
    EXPECT_EQ(r->getObject("result")->getObject("person")->getValue<std::string>("name"), resident_.name);
    const std::string session = r->getObject("result")->getValue<std::string>("session");
    fill(R"("session":")" + session + "\"");
    return session;
  }
  // Fills two forms for `who`; returns the sessions they were filled in (a typed person gets a
  // session of its own for each fill).
  std::vector<std::string> fill(const std::string& who) {
    std::vector<std::string> sessions;
    for (const std::string& form : {std::string(R"("form":"juminhyo","values":{"copies":1})"),
                                    std::string(R"("form":"ininjo","values":{"agentAddress":"京都府京都市上京区下立売通新町西入薮ノ内町","agentName":"代理　一郎"})")}) {
      auto f = client_->request(R"({"id":"f","type":"form.fill",)" + who + "," + form + "}");
      EXPECT_TRUE(f->getValue<bool>("ok")) << toJsonText(f);
      if (f->getValue<bool>("ok")) sessions.push_back(f->getObject("result")->getValue<std::string>("session"));
    }
    return sessions;
  }
  void clear(const std::string& session) {
    auto c = client_->request(R"({"id":"c","type":"session.clear","session":")" + session + R"("})");
    ASSERT_TRUE(c->getValue<bool>("ok")) << toJsonText(c);
  }
  // What the agent still holds a moment after the resident's data was let go.
  void expectNothingLeft(const std::string& after) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::string index;
    const std::string memory = readProcessMemory(agent_->pid(), nullptr, &index);
    const auto found = findNeedles(memory, needles_);
    // For finding where a leftover lies: the dump and which offset is which mapping.
    if (const char* keep = std::getenv("KAKANAI_KEEP_DUMP"); keep && !found.empty()) {
      writeFile(keep, memory);
      writeFile(std::string(keep) + ".maps", index);
      writeFile(std::string(keep) + ".pid", std::to_string(agent_->pid()));
      std::this_thread::sleep_for(std::chrono::seconds(std::atoi(std::getenv("KAKANAI_KEEP_SECONDS") ?: "0")));
    }
    EXPECT_TRUE(found.empty()) << "after " << after << ", the agent's memory still holds:\n" << report(found);
  }

  TempDir dir_;
  Resident resident_;
  std::vector<Needle> needles_;
  std::unique_ptr<PcscStack> stack_;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<Client> client_;
};

TEST_F(MemoryWipe, NothingOfTheResidentAfterSessionClear) {
  start(resident("ivs"));
  const std::string session = readAndFill();
  ASSERT_FALSE(session.empty());
  const auto alive = scan();
  ASSERT_TRUE(alive.count("name as UTF-8")) << "the search must find the live session's data:\n" << report(alive);
  clear(session);
  expectNothingLeft("session.clear");
}

// Verification number B is as secret as the PIN: the 14 digits the agent builds, the security
// code the clerk typed and the VERIFY that carried them are gone with the session.
TEST_F(MemoryWipe, NothingOfTheResidentOrTheirVerificationNumberBAfterSessionClear) {
  const std::string digits = "01122520347391";  // 昭和元年12月25日, expiry 2034, code 7391
  start(resident("long-address"), "{}", false, {{"securityCode", "\"7391\""}, {"expiryYear", "\"2034\""}});
  for (auto& n : encodingsOf("B", digits)) needles_.push_back(std::move(n));
  needles_.push_back({"security code in the request", R"("securityCode":"7391")"});
  needles_.push_back({"B in the VERIFY APDU", std::string("\x00\x20\x00\x80\x0E", 5) + digits});
  auto r = client_->request(R"({"id":"r","type":"card.read","verificationB":{"birthDate":")" + resident_.birthDate +
                            R"(","expiryYear":"2034","securityCode":"7391"}})");
  ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
  EXPECT_EQ(r->getObject("result")->getObject("person")->getValue<std::string>("name"), resident_.name);
  const std::string session = r->getObject("result")->getValue<std::string>("session");
  fill(R"("session":")" + session + "\"");
  const auto alive = scan();
  ASSERT_TRUE(alive.count("name as UTF-8")) << "the search must find the live session's data:\n" << report(alive);
  clear(session);
  expectNothingLeft("a read with verification number B and session.clear");
}

// A whole visit: the 転入 procedure's four forms, filled side by side on the agent's helper
// threads, each parsed again for the bundle, and the bundle itself. None of it outlives the session.
TEST_F(MemoryWipe, NothingOfTheResidentAfterAProcedureBundleAndSessionClear) {
  start(resident("ivs"));
  auto r = client_->request(R"({"id":"r","type":"card.read","pin":")" + resident_.pin + R"("})");
  ASSERT_TRUE(r->getValue<bool>("ok")) << toJsonText(r);
  const std::string session = r->getObject("result")->getValue<std::string>("session");
  auto p = client_->request(R"({"id":"p","type":"procedure.fill","procedure":"tennyu","forms":["kokuho","inkan","juminhyo"],"session":")" +
                            session + R"(","date":"2026-11-30","values":{"moveDate":"2026-11-30","newAddress":")" + resident_.address +
                            R"(","idDocument":"マイナンバーカード","copies":1,"purpose":"年金"}})");
  ASSERT_TRUE(p->getValue<bool>("ok")) << toJsonText(p);
  EXPECT_EQ(p->getObject("result")->getObject("bundle")->getValue<int>("pages"), 4);
  const auto alive = scan();
  ASSERT_TRUE(alive.count("name as UTF-8")) << "the search must find the live session's data:\n" << report(alive);
  clear(session);
  expectNothingLeft("a procedure's bundle and session.clear");
}

TEST_F(MemoryWipe, NothingOfTheResidentAfterExpiry) {
  // sessionMinutes 0.05: the session lives three seconds.
  start(resident("non-bmp"), R"({"sessionMinutes":0.05})");
  client_->setReceiveTimeout(std::chrono::seconds(30));
  ASSERT_FALSE(readAndFill().empty());
  ASSERT_TRUE(client_->waitForEvent("session.expired"));
  expectNothingLeft("the session's expiry");
}

// A typed person's data lives in the sessions its fills made (as long as a card's would): those
// are cleared, and the connection that carried the data is closed.
TEST_F(MemoryWipe, NothingOfATypedPersonAfterItsSessionsEndAndTheConnectionCloses) {
  const Resident r = resident("variant-kanji");
  start(r, "{}", false);
  const auto sessions = fill(R"("person":{"name":")" + r.name + R"(","address":")" + r.address + R"(","birthDate":")" + r.birthDate +
       R"(","sex":")" + r.sex + R"("})");
  ASSERT_EQ(sessions.size(), 2u);
  for (const auto& s : sessions) clear(s);
  client_.reset();
  ASSERT_TRUE(eventually([&] { return agent_->log().find("connection closed") != std::string::npos; }));
  expectNothingLeft("a typed person's fills, their sessions' end and the connection's close");
}

}  // namespace
}  // namespace kakanai::testing
