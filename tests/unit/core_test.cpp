#include <gtest/gtest.h>

#include "core/bytes.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/log.h"
#include "core/person.h"
#include "core/secure_buffer.h"
#include "core/task_pool.h"

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

namespace kakanai {
namespace {

TEST(ErrorCodes, EveryCodeHasAStableNameAndAJapaneseMessage) {
  EXPECT_EQ(codeName(ErrorCode::PinWrong), "pin_wrong");
  EXPECT_EQ(codeName(ErrorCode::PinLastTry), "pin_last_try");
  EXPECT_EQ(codeName(ErrorCode::CardRemoved), "card_removed");
  EXPECT_EQ(codeName(ErrorCode::GlyphMissing), "glyph_missing");
  EXPECT_EQ(codeName(ErrorCode::StoreUnavailable), "store_unavailable");
  for (int c = 0; c <= static_cast<int>(ErrorCode::UnknownTap); ++c) {
    const auto code = static_cast<ErrorCode>(c);
    EXPECT_FALSE(codeName(code).empty());
    EXPECT_FALSE(clerkMessage(code).empty());
    EXPECT_TRUE(isValidUtf8(asBytes(clerkMessage(code))));
  }
}

TEST(Utf8, StrictValidation) {
  EXPECT_TRUE(isValidUtf8(asBytes("𠮷田　葛\xF3\xA0\x84\x80")));
  EXPECT_FALSE(isValidUtf8(asBytes("\xC0\xAF")));          // overlong
  EXPECT_FALSE(isValidUtf8(asBytes("\xED\xA0\x80")));      // surrogate
  EXPECT_FALSE(isValidUtf8(asBytes("\xF4\x90\x80\x80")));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8(asBytes("\xE3\x81")));          // truncated
  EXPECT_FALSE(isValidUtf8(asBytes(std::string_view("a\0b", 3))));
}

TEST(Hex, RoundTrip) {
  auto b = fromHex("63 C2:90");
  ASSERT_TRUE(b);
  EXPECT_EQ(toHex(*b), "63C290");
  EXPECT_EQ(toHex(*b, true), "63 C2 90");
  EXPECT_FALSE(fromHex("6"));
  EXPECT_FALSE(fromHex("zz"));
}

TEST(PersonJson, PassesUtf8ThroughAndEscapesControls) {
  Person p;
  p.name = SecretText("𠮷田\t\"花子\"");
  p.address = SecretText("東京都\\");
  p.birthDate = SecretText("1989-01-07");
  p.sex = Sex::Female;
  SecretText out;
  appendPersonJson(out, p);
  EXPECT_EQ(out.view(),
            "{\"name\":\"𠮷田\\u0009\\\"花子\\\"\",\"address\":\"東京都\\\\\",\"birthDate\":\"1989-01-07\","
            "\"sex\":\"female\"}");
}

TEST(Dates, IsoDates) {
  EXPECT_TRUE(isIsoDate("1912-07-30"));
  EXPECT_TRUE(isIsoDate("2000-02-29"));
  EXPECT_FALSE(isIsoDate("2100-02-29"));
  EXPECT_FALSE(isIsoDate("1989-1-07"));
  EXPECT_FALSE(isIsoDate("1989-01-32"));
}

TEST(SecureBytes, WipesOnRelease) {
  // The allocator overwrites every block it frees; observe it through a block we keep alive.
  WipingAllocator<std::uint8_t> alloc;
  std::uint8_t* block = alloc.allocate(8);
  for (int i = 0; i < 8; ++i) block[i] = 0x5A;
  secureWipe(block, 8);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(block[i], 0);
  alloc.deallocate(block, 8);
  SecretText t("1234");
  t.clear();
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace kakanai

namespace kakanai {
namespace {

TEST(Log, ClientStringsCannotForgeALineOrReachTheTerminalRaw) {
  EXPECT_EQ(escapeForLog("a\nkakanai-agent[info] FAKE LINE"), "a\\nkakanai-agent[info] FAKE LINE");
  EXPECT_EQ(escapeForLog("\r\t\x1b[31m\x7f\\n"), "\\r\\t\\x1B[31m\\x7F\\\\n");
  EXPECT_EQ(escapeForLog(std::string("nul\0x", 5)), "nul\\x00x");
  // Japanese text stays; C1 controls, bidi overrides, line separators and broken UTF-8 do not.
  EXPECT_EQ(escapeForLog("山田　太郎"), "山田　太郎");
  EXPECT_EQ(escapeForLog("\xC2\x85"), "\\xC2\\x85");
  EXPECT_EQ(escapeForLog("\xE2\x80\xAE"), "\\xE2\\x80\\xAE");
  EXPECT_EQ(escapeForLog("\xE2\x80\xA8"), "\\xE2\\x80\\xA8");
  EXPECT_EQ(escapeForLog("\xFF\xE5\xB1"), "\\xFF\\xE5\\xB1");
}

TEST(Log, EveryCallIsExactlyOneLine) {
  ::testing::internal::CaptureStderr();
  logLine(LogLevel::Error, "request type=unknown id=a\nkakanai-agent[info] FAKE LINE\r\n");
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.rfind("kakanai-agent[error] ", 0), 0u);
}

}  // namespace

TEST(TaskPool, EveryTaskRunsOnceAndHelpersWorkBesideTheCaller) {
  TaskPool pool(1);
  std::atomic<int> arrived{0};
  std::mutex m;
  std::set<std::thread::id> threads;
  std::vector<int> ran(6, 0);
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 6; ++i) {
    tasks.push_back([&, i] {
      ++arrived;
      // The first two wait for each other: they can only both finish if they run side by side.
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (i < 2 && arrived < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
      std::lock_guard lock(m);
      threads.insert(std::this_thread::get_id());
      ++ran[i];
    });
  }
  pool.runAll(std::move(tasks));
  EXPECT_EQ(ran, std::vector<int>(6, 1));
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_TRUE(threads.count(std::this_thread::get_id()));
}

TEST(TaskPool, WithoutHelpersTheCallerRunsEverything) {
  TaskPool pool(0);
  std::set<std::thread::id> threads;
  std::vector<std::function<void()>> tasks(3, [&] { threads.insert(std::this_thread::get_id()); });
  pool.runAll(std::move(tasks));
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
  pool.runAll({});  // nothing to do is no error
}

TEST(TaskPool, AThrowingTaskIsReportedAfterTheOthersFinish) {
  TaskPool pool(2);
  std::atomic<int> finished{0};
  std::vector<std::function<void()>> tasks;
  tasks.push_back([] { throw std::runtime_error("broken"); });
  for (int i = 0; i < 5; ++i) tasks.push_back([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ++finished;
  });
  EXPECT_THROW(pool.runAll(std::move(tasks)), std::runtime_error);
  EXPECT_EQ(finished, 5);
}

TEST(TaskPool, ACallerFinishesItsOwnTasksWhileTheHelpersAreBusyWithAnother) {
  TaskPool pool(1);
  std::atomic<bool> secondDone{false};
  std::atomic<int> firstStarted{0}, firstSawSecond{0};
  const auto waitForSecond = [&] {
    ++firstStarted;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!secondDone && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (secondDone) ++firstSawSecond;
  };
  // The first caller and the only helper are both held in the first caller's tasks until the
  // second caller's runAll has returned: only a caller that runs its own tasks gets there.
  auto first = std::async(std::launch::async, [&] { pool.runAll({waitForSecond, waitForSecond}); });
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (firstStarted < 2 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(firstStarted, 2);
  std::atomic<int> ran{0};
  pool.runAll(std::vector<std::function<void()>>(3, [&] { ++ran; }));
  secondDone = true;
  first.get();
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(firstSawSecond, 2);  // neither of the first caller's tasks timed out
}

TEST(TaskPool, NoMoreHelpersThanTheLargestBatchCanUse) {
  EXPECT_EQ(TaskPool::helpersFor(0), 0u);
  EXPECT_EQ(TaskPool::helpersFor(1), 0u);  // a lone task runs on its caller
  EXPECT_LE(TaskPool::helpersFor(4), 3u);
  if (std::thread::hardware_concurrency() != 1) EXPECT_GE(TaskPool::helpersFor(4), 1u);
}

}  // namespace kakanai
