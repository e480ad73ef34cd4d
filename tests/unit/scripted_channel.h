// A CardChannel that answers from a script and records what was sent (unit tests only).
#pragma once

#include <deque>
#include <vector>

#include "card/card_channel.h"

namespace kakanai::card::testing {

class ScriptedChannel final : public CardChannel {
 public:
  struct Log {
    std::vector<Bytes> sent;
  };
  ScriptedChannel(std::deque<Result<Bytes>> answers, Log& log) : answers_(std::move(answers)), log_(log) {}
  Result<SecureBytes> transmit(ByteView command) override {
    log_.sent.emplace_back(command.begin(), command.end());
    if (answers_.empty()) return Error::of(ErrorCode::CardRemoved, "script exhausted");
    auto next = std::move(answers_.front());
    answers_.pop_front();
    if (!next) return next.error();
    return SecureBytes(next->begin(), next->end());
  }
  Status beginTransaction() override { return okStatus(); }
  void endTransaction(bool) override {}
  void disconnect(bool) override {}

 private:
  std::deque<Result<Bytes>> answers_;
  Log& log_;
};

inline Bytes hex(std::string_view h) { return *fromHex(h); }

}  // namespace kakanai::card::testing
