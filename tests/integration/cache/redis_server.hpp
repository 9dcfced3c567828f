#pragma once
// A real redis-server on 127.0.0.1 for the cache tests: started in a temp dir, stopped by its own
// pid (from its pidfile). TLS variant: a test CA and a server certificate for IP:127.0.0.1 made
// with openssl.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <string>
#include <thread>

namespace oms::testing {

class RedisServer {
 public:
  struct Options {
    bool tls = false;
    std::string password;  // requirepass
    bool cluster = false;  // --cluster-enabled yes (assembled by the test: redis_cluster_test.cpp)
  };
  explicit RedisServer(Options options);
  RedisServer() : RedisServer(Options{}) {}
  ~RedisServer();

  void start();  // (re)starts on the same port
  void stop();   // SIGTERM (SIGKILL if it outlasts 4 s) and wait for the process to end
  unsigned short port() const { return port_; }
  std::string url() const;  // redis[s]://[:password@]127.0.0.1:port[?ca_file=…]
  std::string ca_file() const { return dir_ + "/ca.crt"; }
  // Runs redis-cli against it; returns its output.
  std::string cli(const std::string& args) const;
  std::string log_tail(int lines) const;  // the last lines of its log, for a failure's message

 private:
  Options options_;
  std::string dir_;
  unsigned short port_ = 0;
  int pid_ = 0;
};

// Runs coroutines on a background io_context (2 threads, as the server has several) and waits.
class IoThreads {
 public:
  IoThreads();
  ~IoThreads();
  boost::asio::io_context& io() { return io_; }
  template <class T>
  T run(boost::asio::awaitable<T> a) {
    return boost::asio::co_spawn(io_, std::move(a), boost::asio::use_future).get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread a_, b_;
};

}  // namespace oms::testing
