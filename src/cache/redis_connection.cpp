#include "cache/redis_connection.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace oms::cache {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

RedisConnection::RedisConnection(asio::any_io_executor ex, const RedisOptions& options, asio::ssl::context* tls)
    : strand_(asio::make_strand(ex)), options_(options), tls_context_(tls) {
  if (options_.tls) {
    if (tls_context_ == nullptr) throw CacheError("redis: TLS requested without a TLS context");
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket>>(strand_, *tls_context_);
  } else {
    plain_ = std::make_unique<tcp::socket>(strand_);
  }
}

awaitable<void> RedisConnection::write_all(const std::string& bytes) {
  if (tls_)
    co_await asio::async_write(*tls_, asio::buffer(bytes), asio::use_awaitable);
  else
    co_await asio::async_write(*plain_, asio::buffer(bytes), asio::use_awaitable);
}

awaitable<Reply> RedisConnection::read_reply() {
  char buffer[16384];
  for (;;) {
    if (auto reply = reader_.next()) co_return std::move(*reply);
    std::size_t n = 0;
    if (tls_)
      n = co_await tls_->async_read_some(asio::buffer(buffer), asio::use_awaitable);
    else
      n = co_await plain_->async_read_some(asio::buffer(buffer), asio::use_awaitable);
    reader_.feed(std::string_view(buffer, n));
  }
}

awaitable<RedisConnection::Outcome> RedisConnection::connect_step() {
  Outcome out;
  try {
    tcp::resolver resolver(strand_);
    auto endpoints = co_await resolver.async_resolve(options_.host, options_.port, asio::use_awaitable);
    tcp::socket& socket = tls_ ? tls_->next_layer() : *plain_;
    co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    if (tls_) {
      // Verify the server against the trust anchors, by name (or IP address) as in the URL.
      tls_->set_verify_mode(asio::ssl::verify_peer);
      if (!SSL_set_tlsext_host_name(tls_->native_handle(), options_.host.c_str()))
        throw CacheError("redis: cannot set TLS server name");
      X509_VERIFY_PARAM* param = SSL_get0_param(tls_->native_handle());
      if (X509_VERIFY_PARAM_set1_ip_asc(param, options_.host.c_str()) != 1)
        X509_VERIFY_PARAM_set1_host(param, options_.host.c_str(), options_.host.size());
      co_await tls_->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    }
    if (!options_.password.empty()) {
      std::vector<std::string> auth{"AUTH"};
      if (!options_.user.empty()) auth.push_back(options_.user);
      auth.push_back(options_.password);
      co_await write_all(format_command(auth));
      Reply reply = co_await read_reply();
      if (reply.is_error()) out.error = "redis: AUTH refused: " + reply.text;
    }
  } catch (const boost::system::system_error& e) {
    out.error = std::string("redis: connect to ") + options_.host + ":" + options_.port + ": " + e.code().message();
  } catch (const std::exception& e) {
    out.error = std::string("redis: connect to ") + options_.host + ":" + options_.port + ": " + e.what();
  }
  co_return out;
}

awaitable<RedisConnection::Outcome> RedisConnection::roundtrip_step(std::string request, std::size_t replies) {
  Outcome out;
  try {
    co_await write_all(request);
    for (std::size_t i = 0; i < replies; ++i) out.replies.push_back(co_await read_reply());
  } catch (const boost::system::system_error& e) {
    out.error = "redis: " + e.code().message();
  } catch (const std::exception& e) {
    out.error = std::string("redis: ") + e.what();
  }
  co_return out;
}

awaitable<RedisConnection::Outcome> RedisConnection::within_deadline(awaitable<Outcome> step) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(co_await asio::this_coro::executor, options_.timeout);
  auto expiry = timer.async_wait(asio::use_awaitable);
  auto race = std::move(step) || std::move(expiry);
  auto result = co_await std::move(race);
  if (result.index() == 0) co_return std::get<0>(std::move(result));
  Outcome timed_out;
  timed_out.error = "redis: no answer within " + std::to_string(options_.timeout.count()) + " ms";
  co_return timed_out;
}

awaitable<RedisConnection::Outcome> RedisConnection::run(awaitable<Outcome> step) {
  // On the strand, so the step and the timer that cancels it never run at the same time.
  auto bounded = within_deadline(std::move(step));
  Outcome out = co_await asio::co_spawn(strand_, std::move(bounded), asio::use_awaitable);
  if (!out.error.empty()) {
    broken_ = true;
    boost::system::error_code ignored;
    tcp::socket& socket = tls_ ? tls_->next_layer() : *plain_;
    socket.close(ignored);
    throw CacheError(out.error);
  }
  co_return out;
}

awaitable<void> RedisConnection::connect() {
  if (broken_) throw CacheError("redis: connection is broken");
  auto step = connect_step();
  co_await run(std::move(step));
}

awaitable<Reply> RedisConnection::command(std::vector<std::string> argv) {
  if (broken_) throw CacheError("redis: connection is broken");
  auto step = roundtrip_step(format_command(argv), 1);
  Outcome out = co_await run(std::move(step));
  co_return std::move(out.replies.at(0));
}

awaitable<std::vector<Reply>> RedisConnection::commands(std::vector<std::vector<std::string>> batch) {
  if (broken_) throw CacheError("redis: connection is broken");
  std::string request;
  for (const auto& argv : batch) request += format_command(argv);
  auto step = roundtrip_step(std::move(request), batch.size());
  Outcome out = co_await run(std::move(step));
  co_return std::move(out.replies);
}

awaitable<void> RedisConnection::send(std::vector<std::string> argv) {
  if (broken_) throw CacheError("redis: connection is broken");
  std::string bytes = format_command(argv);
  auto step = [](RedisConnection* self, std::string bytes) -> awaitable<void> { co_await self->write_all(bytes); };
  auto write = step(this, std::move(bytes));
  try {
    co_await asio::co_spawn(strand_, std::move(write), asio::use_awaitable);
  } catch (const std::exception& e) {
    broken_ = true;
    throw CacheError(std::string("redis: ") + e.what());
  }
}

awaitable<Reply> RedisConnection::receive() {
  if (broken_) throw CacheError("redis: connection is broken");
  auto read = read_reply();
  try {
    co_return co_await asio::co_spawn(strand_, std::move(read), asio::use_awaitable);
  } catch (const std::exception& e) {
    broken_ = true;
    throw CacheError(std::string("redis: ") + e.what());
  }
}

void RedisConnection::close() {
  asio::post(strand_, [self = shared_from_this()] {
    self->broken_ = true;
    boost::system::error_code ignored;
    tcp::socket& socket = self->tls_ ? self->tls_->next_layer() : *self->plain_;
    socket.close(ignored);
  });
}

}  // namespace oms::cache
