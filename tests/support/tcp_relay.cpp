#include "tcp_relay.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace oms::testing {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

// sockaddr_in is passed through the generic sockaddr the socket API takes.
sockaddr* generic(sockaddr_in& addr) { return reinterpret_cast<sockaddr*>(&addr); }

bool send_all(int fd, const char* data, ssize_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= n;
  }
  return true;
}

}  // namespace

TcpRelay::TcpRelay(std::uint16_t target_port)
    : target_port_(target_port), listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (listener_ < 0) throw std::runtime_error("TcpRelay: socket() failed");
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(listener_, generic(addr), sizeof addr) != 0 || ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, generic(addr), &len) != 0) {
    ::close(listener_);
    throw std::runtime_error("TcpRelay: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpRelay::~TcpRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : sockets_) ::shutdown(fd, SHUT_RDWR);
  }
  released_.notify_all();
  ::shutdown(listener_, SHUT_RDWR);  // ends the acceptor's accept()
  acceptor_.join();
  for (auto& t : threads_) t.join();
  ::close(listener_);
}

void TcpRelay::hold_new_connections() {
  std::lock_guard lock(mutex_);
  holding_ = true;
}

void TcpRelay::release() {
  {
    std::lock_guard lock(mutex_);
    holding_ = false;
  }
  released_.notify_all();
}

int TcpRelay::accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

int TcpRelay::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

void TcpRelay::accept_loop() {
  for (;;) {
    const int client = ::accept(listener_, nullptr, nullptr);
    std::lock_guard lock(mutex_);
    if (client < 0 || stopping_) {
      if (client >= 0) ::close(client);
      return;
    }
    ++accepted_;
    sockets_.push_back(client);
    threads_.emplace_back([this, client] { relay(client); });
  }
}

void TcpRelay::relay(int client) {
  int server = -1;
  {
    std::unique_lock lock(mutex_);
    if (holding_) {
      ++held_;
      released_.wait(lock, [this] { return !holding_ || stopping_; });
      --held_;
    }
    if (!stopping_) {
      server = ::socket(AF_INET, SOCK_STREAM, 0);
      if (server >= 0) sockets_.push_back(server);
    }
  }
  sockaddr_in target = loopback(target_port_);
  if (server >= 0 && ::connect(server, generic(target), sizeof target) == 0) {
    std::array<pollfd, 2> ends{pollfd{client, POLLIN, 0}, pollfd{server, POLLIN, 0}};
    std::array<char, 16384> buffer{};
    bool open = true;
    while (open && ::poll(ends.data(), ends.size(), -1) > 0) {
      for (std::size_t i = 0; i < ends.size() && open; ++i) {
        if (ends[i].revents == 0) continue;
        const ssize_t n = ::recv(ends[i].fd, buffer.data(), buffer.size(), 0);
        open = n > 0 && send_all(ends[1 - i].fd, buffer.data(), n);
      }
    }
  }
  // Either end closing closes both: the relay carries request-and-answer protocols only.
  std::lock_guard lock(mutex_);
  for (int fd : {client, server}) {
    if (fd < 0) continue;
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    sockets_.erase(std::remove(sockets_.begin(), sockets_.end(), fd), sockets_.end());
  }
}

}  // namespace oms::testing
