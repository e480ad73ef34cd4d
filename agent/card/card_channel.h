// A connection to one card, whatever carries it: PC/SC, or the in-process virtual card.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "card/apdu.h"
#include "core/bytes.h"
#include "core/error.h"
#include "core/secure_buffer.h"

namespace kakanai::card {

class CardChannel {
 public:
  virtual ~CardChannel() = default;
  // Sends one encoded command APDU and returns the raw answer (data + SW). Transport failures
  // come back as the protocol's codes: card_removed, no_reader, reader_busy, timeout.
  virtual Result<SecureBytes> transmit(ByteView command) = 0;
  // Exclusive use for one multi-APDU sequence (SCardBeginTransaction on PC/SC).
  virtual Status beginTransaction() = 0;
  // `resetCard` resets the card before anyone else may use it: a PIN verified in the transaction
  // is gone before another handle's transaction starts. (A reset at disconnect comes too late:
  // another counter waiting for the card gets it between the two, still verified, and then has
  // it reset under its own transaction.)
  virtual void endTransaction(bool resetCard) = 0;
  // The longest answer (data, without SW) the reader carries in one extended-length exchange, or
  // 0 when the reader does not take extended APDUs or does not say (PC/SC: SCARD_ATTR_MAXINPUT
  // where the driver reports it). Whether the card takes them is the card's to say (EF 0005).
  virtual std::uint32_t extendedResponseLimit() const { return 0; }
  // Ends the connection. `resetCard` drops every security state the card holds: the fallback for
  // a connection that ends without its transaction having reset the card.
  virtual void disconnect(bool resetCard) = 0;
};

// APDU exchange on top of a channel: GET RESPONSE for 61xx, resend for 6Cxx, and a count of
// the APDUs actually sent (the benchmark reports it).
class CardConnection {
 public:
  explicit CardConnection(std::unique_ptr<CardChannel> channel) : channel_(std::move(channel)) {}
  ~CardConnection();
  CardConnection(const CardConnection&) = delete;
  CardConnection& operator=(const CardConnection&) = delete;

  Result<ResponseApdu> exchange(const CommandApdu& command);
  CardChannel& channel() { return *channel_; }
  std::uint32_t apduCount() const { return apduCount_; }

  // How many bytes one READ BINARY may ask for: 256 (short APDUs) until both card and reader
  // have advertised extended length, then up to the reader's limit. A card or reader that
  // answers an extended command with 67 00 or 6C xx puts the connection back to short reads
  // for good.
  std::uint32_t readLimit() const { return readLimit_; }
  void useExtendedReads(std::uint32_t limit) { readLimit_ = std::max<std::uint32_t>(256, std::min<std::uint32_t>(limit, 65536)); }
  void useShortReads() { readLimit_ = 256; }
  void close(bool resetCard);

 private:
  Result<ResponseApdu> sendOnce(const CommandApdu& command);
  std::unique_ptr<CardChannel> channel_;
  std::uint32_t apduCount_ = 0;
  std::uint32_t readLimit_ = 256;
  bool closed_ = false;
};

// Holds a transaction for the lifetime of a scope.
class CardTransaction {
 public:
  explicit CardTransaction(CardChannel& channel) : channel_(channel) { status_ = channel_.beginTransaction(); }
  ~CardTransaction() {
    if (status_.ok()) channel_.endTransaction(resetCard_);
  }
  CardTransaction(const CardTransaction&) = delete;
  CardTransaction& operator=(const CardTransaction&) = delete;
  const Status& status() const { return status_; }
  // For a transaction that verifies a PIN: the card is reset as the transaction ends.
  void resetCardOnEnd() { resetCard_ = true; }

 private:
  CardChannel& channel_;
  Status status_ = okStatus();
  bool resetCard_ = false;
};

}  // namespace kakanai::card
