#pragma once
// A TCP relay on 127.0.0.1 for tests (test code only): each connection it accepts is joined to a
// new connection to the target port. A test can hold back the connections accepted from some
// moment on — accepted, their bytes unread, nothing sent on — until it releases them, to delay
// what a client sends on a new connection (libpq's cancel request, say) without touching the server.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace oms::testing {

class TcpRelay {
 public:
  explicit TcpRelay(std::uint16_t target_port);
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  // Connections accepted from now on wait until release().
  void hold_new_connections();
  void release();
  // Connections accepted so far, and of them the ones waiting now.
  int accepted() const;
  int held() const;

 private:
  void accept_loop();
  void relay(int client);

  std::uint16_t target_port_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool holding_ = false;
  bool stopping_ = false;
  int accepted_ = 0;
  int held_ = 0;
  std::vector<int> sockets_;  // every open socket, shut down when the relay stops
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace oms::testing
