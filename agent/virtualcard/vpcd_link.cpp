#include "virtualcard/vpcd_link.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace kakanai::virtualcard {

namespace {

bool sendAll(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// Waits for readable data, so a stop request is noticed within 200 ms.
bool recvAll(int fd, std::uint8_t* p, std::size_t n, const std::atomic<bool>& stop) {
  while (n > 0) {
    pollfd pfd{fd, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 200);
    if (stop) return false;
    if (ready < 0) return false;
    if (ready == 0) continue;
    const ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

bool sendFrame(int fd, const Bytes& payload) {
  const std::uint8_t len[2] = {static_cast<std::uint8_t>(payload.size() >> 8),
                               static_cast<std::uint8_t>(payload.size() & 0xFF)};
  return sendAll(fd, len, 2) && sendAll(fd, payload.data(), payload.size());
}

// A TCP socket for host:port, either listening there or connected to it; -1 on failure.
int openSocket(const std::string& host, int port, bool listen) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || res == nullptr) return -1;
  int fd = ::socket(res->ai_family, SOCK_STREAM, 0);
  if (fd >= 0) {
    const int yes = 1;
    bool ok;
    if (listen) {
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      ok = ::bind(fd, res->ai_addr, res->ai_addrlen) == 0 && ::listen(fd, 1) == 0;
    } else {
      ok = ::connect(fd, res->ai_addr, res->ai_addrlen) == 0;
    }
    if (!ok) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  return fd;
}

int acceptOne(int listener, const std::atomic<bool>& stop) {
  while (!stop) {
    pollfd pfd{listener, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 200);
    if (ready > 0) return ::accept(listener, nullptr, nullptr);
    if (ready < 0) return -1;
  }
  return -1;
}

void sleepUnlessStopped(int ms, const std::atomic<bool>& stop) {
  for (int waited = 0; waited < ms && !stop; waited += 50) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

enum class Session { Closed, Removed };

// Answers vpcd until the connection ends or the card is pulled.
Session serveConnection(int fd, MyNumberCardEmulator& card, const std::atomic<bool>& stop) {
  const int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  card.reset();
  std::uint8_t lenBytes[2];
  Bytes payload;
  while (recvAll(fd, lenBytes, 2, stop)) {
    const std::size_t n = static_cast<std::size_t>(lenBytes[0] << 8 | lenBytes[1]);
    payload.assign(n, 0);
    if (n > 0 && !recvAll(fd, payload.data(), n, stop)) break;
    if (n == 1) {
      switch (payload[0]) {
        case 0:  // power off
        case 1:  // power on
        case 2:  // reset
          card.reset();
          break;
        case 4:
          if (!sendFrame(fd, MyNumberCardEmulator::atr())) return Session::Closed;
          break;
        default:
          break;
      }
      continue;
    }
    CardReply reply = card.process(payload);
    if (reply.removed) return Session::Removed;
    if (!sendFrame(fd, reply.response)) return Session::Closed;
  }
  return Session::Closed;
}

}  // namespace

int serveVpcd(MyNumberCardEmulator& card, const VpcdEndpoint& endpoint, const std::atomic<bool>& stop) {
  while (!stop) {
    int listener = -1;
    int fd = -1;
    if (endpoint.listen) {
      listener = openSocket(endpoint.host, endpoint.port, true);
      if (listener < 0) {
        std::fprintf(stderr, "kakanai-virtual-card: cannot listen on %s:%d\n", endpoint.host.c_str(), endpoint.port);
        return 2;
      }
      fd = acceptOne(listener, stop);
    } else {
      fd = openSocket(endpoint.host, endpoint.port, false);
      if (fd < 0) {
        sleepUnlessStopped(500, stop);  // vpcd not up yet; a real card waits in the field too
        continue;
      }
    }
    Session how = Session::Closed;
    if (fd >= 0) {
      how = serveConnection(fd, card, stop);
      ::close(fd);
    }
    // Closing the listener too makes vpcd's reconnect fail, so pcscd sees an empty reader.
    if (listener >= 0) ::close(listener);
    if (how == Session::Removed) {
      std::fprintf(stderr, "kakanai-virtual-card: card removed (fault), back in %d ms\n", card.reinsertAfterMs());
      sleepUnlessStopped(card.reinsertAfterMs(), stop);
    } else if (!stop) {
      sleepUnlessStopped(100, stop);
    }
  }
  return 0;
}

}  // namespace kakanai::virtualcard
