// The AWS credentials chain: environment, shared credentials file, ECS container endpoint (with
// its authorization token and session token, fetched again five minutes before expiry).
#include "objects/aws_credentials.hpp"

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
#include <filesystem>
#include <fstream>
#include <map>

#include "domain/error.hpp"
#include "support/run_until_done.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

using oms::testing::run_until_done;

namespace asio = boost::asio;

using Env = std::map<std::string, std::string>;

EnvLookup lookup(const Env& env) {
  return [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

// The log-only cause of the 503 UNAVAILABLE that `work` fails with (a test failure otherwise).
std::string unavailable_cause(asio::io_context& io, asio::awaitable<sigv4::Credentials> work) {
  try {
    run_until_done(io, std::move(work));
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.code(), domain::ErrorCode::unavailable);
    EXPECT_EQ(e.detail().find("AWS"), std::string::npos) << "the client's detail stays coarse";
    return e.log_detail();
  }
  ADD_FAILURE() << "no DomainError";
  return "";
}

TEST(AwsCredentials, ParsesTheContainerEndpointsDocument) {
  const auto c = parse_container_credentials(
      R"({"RoleArn":"arn:aws:iam::1:role/t","AccessKeyId":"ASIA1","SecretAccessKey":"s/k+","Token":"tok==",)"
      R"("Expiration":"2026-11-29T18:00:00Z"})");
  EXPECT_EQ(c.keys.access_key_id, "ASIA1");
  EXPECT_EQ(c.keys.secret_access_key, "s/k+");
  EXPECT_EQ(c.keys.session_token, "tok==");
  EXPECT_EQ(c.expires_at, util::parse_timestamp("2026-11-29T18:00:00Z"));
  EXPECT_THROW(parse_container_credentials(R"({"AccessKeyId":"A"})"), std::runtime_error);
  EXPECT_THROW(parse_container_credentials("not json"), std::runtime_error);
  EXPECT_THROW(parse_container_credentials(R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"})"),
               std::runtime_error);
}

TEST(AwsCredentials, ReadsTheNamedProfileOfASharedCredentialsFile) {
  const std::string text =
      "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n\n"
      "# a comment\n[ci]\r\naws_access_key_id=AKIACI\r\naws_secret_access_key = c/i \r\naws_session_token = t\r\n";
  const auto ci = parse_credentials_file(text, "ci");
  ASSERT_TRUE(ci);
  EXPECT_EQ(ci->access_key_id, "AKIACI");
  EXPECT_EQ(ci->secret_access_key, "c/i");
  EXPECT_EQ(ci->session_token, "t");
  EXPECT_EQ(parse_credentials_file(text, "default")->access_key_id, "AKIADEFAULT");
  EXPECT_FALSE(parse_credentials_file(text, "missing"));
}

TEST(AwsCredentials, EnvironmentComesFirstThenTheProfile) {
  asio::io_context io;
  domain::ManualClock clock(*util::parse_timestamp("2026-11-29T12:00:00Z"));
  CredentialsProvider from_env(io.get_executor(),
                               lookup({{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                       {"AWS_SECRET_ACCESS_KEY", "secret"},
                                       {"AWS_SESSION_TOKEN", "session"},
                                       {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/never"}}),
                               clock);
  const auto env = run_until_done(io, from_env.get());
  EXPECT_EQ(env.access_key_id, "AKIAENV");
  EXPECT_EQ(env.session_token, "session");

  const char* tmp = std::getenv("OMS_TEST_TMPDIR");
  const auto dir =
      std::filesystem::path(tmp != nullptr ? tmp : "/tmp") / ("creds-" + util::hex_encode(util::random_bytes(4)));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "credentials") << "[team]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n";
  CredentialsProvider from_file(
      io.get_executor(),
      lookup({{"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()}, {"AWS_PROFILE", "team"}}), clock);
  EXPECT_EQ(run_until_done(io, from_file.get()).access_key_id, "AKIAFILE");
  CredentialsProvider none(io.get_executor(), lookup({{"HOME", dir.string()}}), clock);
  EXPECT_NE(unavailable_cause(io, none.get()).find("no AWS credentials"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A container credentials endpoint on 127.0.0.1 that answers each request with keys expiring
// ten minutes after the test clock's time, numbered by fetch; it records the Authorization sent.
class Endpoint {
 public:
  Endpoint(asio::io_context& io, const domain::ManualClock& clock)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), clock_(clock) {
    asio::co_spawn(io, serve(), asio::detached);
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int fetches = 0;
  std::string authorization;

 private:
  asio::awaitable<void> serve() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::streambuf request;
      co_await asio::async_read_until(socket, request, "\r\n\r\n", asio::use_awaitable);
      std::istream lines(&request);
      for (std::string line; std::getline(lines, line);)
        if (line.rfind("Authorization: ", 0) == 0) authorization = line.substr(15, line.size() - 16);
      ++fetches;
      const std::string body = R"({"AccessKeyId":"ASIA)" + std::to_string(fetches) +
                               R"(","SecretAccessKey":"s","Token":"t)" + std::to_string(fetches) +
                               R"(","Expiration":")" + util::format_timestamp(clock_.now() + std::chrono::minutes(10)) +
                               "\"}";
      const std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\nConnection: close\r\n\r\n" + body;
      co_await asio::async_write(socket, asio::buffer(reply), asio::use_awaitable);
    }
  }

  asio::ip::tcp::acceptor acceptor_;
  const domain::ManualClock& clock_;
};

TEST(AwsCredentials, ContainerKeysAreCachedAndFetchedAgainBeforeTheyExpire) {
  asio::io_context io;
  domain::ManualClock clock(*util::parse_timestamp("2026-11-29T12:00:00Z"));
  Endpoint endpoint(io, clock);
  const std::string uri = "http://127.0.0.1:" + std::to_string(endpoint.port()) + "/v2/credentials/abc";
  CredentialsProvider provider(io.get_executor(),
                               lookup({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"},
                                       {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}}),
                               clock);
  auto first = run_until_done(io, provider.get());
  EXPECT_EQ(first.access_key_id, "ASIA1");
  EXPECT_EQ(first.session_token, "t1");
  EXPECT_EQ(endpoint.authorization, "Bearer abc");
  clock.advance(std::chrono::minutes(4));  // 6 minutes left: still good
  EXPECT_EQ(run_until_done(io, provider.get()).access_key_id, "ASIA1");
  EXPECT_EQ(endpoint.fetches, 1);
  clock.advance(std::chrono::minutes(2));  // 4 minutes left: inside the refresh margin
  EXPECT_EQ(run_until_done(io, provider.get()).access_key_id, "ASIA2");
  EXPECT_EQ(endpoint.fetches, 2);
}

TEST(AwsCredentials, ContainerUriMustBeLoopbackOrTheEcsHostOverPlainHttp) {
  asio::io_context io;
  domain::ManualClock clock(*util::parse_timestamp("2026-11-29T12:00:00Z"));
  CredentialsProvider provider(io.get_executor(),
                               lookup({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://metadata.example/creds"},
                                       {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}}),
                               clock);
  EXPECT_NE(unavailable_cause(io, provider.get()).find("not an allowed"), std::string::npos);
}

TEST(AwsCredentials, AnUnreachableContainerEndpointIsUnavailable) {
  asio::io_context io;
  domain::ManualClock clock(*util::parse_timestamp("2026-11-29T12:00:00Z"));
  // A loopback port nobody listens on: bind one, note it, close it.
  asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  CredentialsProvider provider(
      io.get_executor(),
      lookup({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + std::to_string(port) + "/creds"},
              {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}}),
      clock);
  EXPECT_NE(unavailable_cause(io, provider.get()).find("AWS credentials: "), std::string::npos);
}

}  // namespace
}  // namespace oms::objects
