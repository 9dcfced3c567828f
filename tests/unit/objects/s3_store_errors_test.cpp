// How the s3:// store fails: S3 unreachable or answering an error is 503 UNAVAILABLE with a coarse
// detail for the client and the cause for the log (objects/store_errors.hpp); a missing object is
// no error. The endpoint is an HTTP server on 127.0.0.1 that answers every request alike.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include "domain/error.hpp"
#include "objects/s3_store.hpp"
#include "support/run_until_done.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

using oms::testing::run_until_done;

namespace asio = boost::asio;

asio::awaitable<void> answer_all(asio::ip::tcp::acceptor& acceptor, std::string reply) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    asio::streambuf request;
    co_await asio::async_read_until(socket, request, "\r\n\r\n", asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
  }
}

struct Fixture {
  asio::io_context io;
  domain::ManualClock clock{*util::parse_timestamp("2026-11-29T12:00:00Z")};
  EnvLookup env = [](const char* name) -> std::optional<std::string> {
    const std::string_view n(name);
    if (n == "AWS_ACCESS_KEY_ID") return "AKIDEXAMPLE";
    if (n == "AWS_SECRET_ACCESS_KEY") return "secret";
    return std::nullopt;
  };
  S3Store store_at(unsigned short port) {
    const std::string url = "s3://bucket?region=eu-west-1&endpoint=http://127.0.0.1:" + std::to_string(port);
    return S3Store(io.get_executor(), parse_s3_url(url, env),
                   std::make_shared<CredentialsProvider>(io.get_executor(), env, clock), clock);
  }
};

// The log-only cause of the 503 UNAVAILABLE `work` fails with.
template <class T>
std::string unavailable_cause(asio::io_context& io, asio::awaitable<T> work) {
  try {
    run_until_done(io, std::move(work));
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.code(), domain::ErrorCode::unavailable);
    EXPECT_EQ(e.detail(), "The file store is unavailable; try again shortly.");
    return e.log_detail();
  }
  ADD_FAILURE() << "no DomainError";
  return "";
}

TEST(S3StoreErrors, AnErrorStatusIsUnavailableAndAMissingObjectIsNone) {
  Fixture f;
  asio::ip::tcp::acceptor failing(f.io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::co_spawn(f.io, answer_all(failing, "HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\n\r\n"), asio::detached);
  S3Store store = f.store_at(failing.local_endpoint().port());
  EXPECT_EQ(unavailable_cause(f.io, store.head("a/b")), "S3 HEAD answered 503");
  EXPECT_EQ(unavailable_cause(f.io, store.remove("a/b")), "S3 DELETE answered 503");

  asio::ip::tcp::acceptor missing(f.io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::co_spawn(f.io, answer_all(missing, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), asio::detached);
  S3Store empty = f.store_at(missing.local_endpoint().port());
  EXPECT_FALSE(run_until_done(f.io, empty.head("a/b")));
  run_until_done(f.io, empty.remove("a/b"));  // removing a missing object is no error
}

TEST(S3StoreErrors, AnUnreachableStoreIsUnavailable) {
  Fixture f;
  asio::ip::tcp::acceptor probe(f.io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();  // nobody listens there now
  S3Store store = f.store_at(port);
  EXPECT_EQ(unavailable_cause(f.io, store.head("a/b")).rfind("S3 HeadObject: ", 0), 0U);
  EXPECT_EQ(unavailable_cause(f.io, store.remove("a/b")).rfind("S3 DeleteObject: ", 0), 0U);
}

}  // namespace
}  // namespace oms::objects
