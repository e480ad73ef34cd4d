// The agent's jobs for one printer are sent in the order the clerks asked for them; a job that
// gives up waiting leaves the line without holding up the ones behind it.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "printing/printer_turns.h"

namespace kakanai::printing {
namespace {

using namespace std::chrono;

steady_clock::time_point later() { return steady_clock::now() + seconds(30); }

TEST(PrinterTurns, JobsGoInTheOrderTheyAsked) {
  PrinterTurns turns;
  std::vector<int> order;
  std::mutex orderMutex;
  std::vector<std::thread> jobs;
  {
    auto first = turns.join("ipp://p");
    ASSERT_TRUE(first.waitForTurn(later()));
    // Each job joins in this thread's order; they then wait in threads that the scheduler may
    // start in any order.
    std::vector<PrinterTurns::Place> places;
    for (int i = 0; i < 8; ++i) places.push_back(turns.join("ipp://p"));
    for (int i = 7; i >= 0; --i) {
      jobs.emplace_back([&, i, place = std::move(places[static_cast<std::size_t>(i)])]() mutable {
        ASSERT_TRUE(place.waitForTurn(later()));
        std::lock_guard lock(orderMutex);
        order.push_back(i);
      });
    }
    std::this_thread::sleep_for(milliseconds(50));  // all of them waiting behind the first
    EXPECT_TRUE(order.empty());
    EXPECT_EQ(turns.waiting("ipp://p"), 9u);
  }
  for (auto& j : jobs) j.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(turns.waiting("ipp://p"), 0u);
}

TEST(PrinterTurns, AJobThatGivesUpLeavesTheLine) {
  PrinterTurns turns;
  auto first = turns.join("ipp://p");
  auto impatient = turns.join("ipp://p");
  auto patient = turns.join("ipp://p");
  ASSERT_TRUE(first.waitForTurn(later()));
  EXPECT_FALSE(impatient.waitForTurn(steady_clock::now() + milliseconds(20)));
  EXPECT_EQ(turns.waiting("ipp://p"), 2u);
  EXPECT_FALSE(impatient.waitForTurn(later())) << "a place given up is not taken again";
  std::atomic<bool> printed{false};
  std::thread behind([&] {
    EXPECT_TRUE(patient.waitForTurn(later()));
    printed = true;
  });
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_FALSE(printed) << "overtook the job at the printer";
  { auto done = std::move(first); }
  behind.join();
  EXPECT_TRUE(printed);
}

TEST(PrinterTurns, PrintersHaveLinesOfTheirOwn) {
  PrinterTurns turns;
  auto a = turns.join("ipp://a");
  auto b = turns.join("ipp://b");
  auto a2 = turns.join("ipp://a");
  EXPECT_TRUE(a.waitForTurn(later()));
  EXPECT_TRUE(b.waitForTurn(steady_clock::now() + milliseconds(10)));
  EXPECT_FALSE(a2.waitForTurn(steady_clock::now() + milliseconds(10)));
}

}  // namespace
}  // namespace kakanai::printing
