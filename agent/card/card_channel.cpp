#include "card/card_channel.h"

namespace kakanai::card {

CardConnection::~CardConnection() { close(true); }

void CardConnection::close(bool resetCard) {
  if (closed_) return;
  closed_ = true;
  channel_->disconnect(resetCard);
}

Result<ResponseApdu> CardConnection::sendOnce(const CommandApdu& command) {
  auto encoded = command.encode();
  if (!encoded) return encoded.error();
  ++apduCount_;
  auto raw = channel_->transmit(*encoded);
  if (!raw) return raw.error();
  return ResponseApdu::parse(*raw);
}

Result<ResponseApdu> CardConnection::exchange(const CommandApdu& command) {
  auto response = sendOnce(command);
  if (!response) return response;
  // 6Cxx: wrong Le, resend once with the length the card asked for.
  if (response->sw1() == 0x6C) {
    if (command.le && *command.le > 256) useShortReads();  // an extended Le the card would not take
    CommandApdu again = command;
    again.le = response->sw2() == 0 ? 256u : response->sw2();
    response = sendOnce(again);
    if (!response) return response;
  }
  // 61xx: more data waiting; collect it with GET RESPONSE. Bounded so a broken card cannot
  // keep us here.
  SecureBytes collected;
  for (int rounds = 0; response->sw1() == 0x61; ++rounds) {
    if (rounds == 64) return Error::statusWord(ErrorCode::CardError, response->sw);
    collected.insert(collected.end(), response->data.begin(), response->data.end());
    CommandApdu getResponse;
    getResponse.ins = 0xC0;
    getResponse.le = response->sw2() == 0 ? 256u : response->sw2();
    response = sendOnce(getResponse);
    if (!response) return response;
  }
  if (!collected.empty()) {
    collected.insert(collected.end(), response->data.begin(), response->data.end());
    response->data.swap(collected);
  }
  return response;
}

}  // namespace kakanai::card
