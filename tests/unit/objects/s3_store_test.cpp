// The s3:// store's own requests: a HEAD signed in the Authorization header (the empty payload's
// hash, the checksum mode), read back into size and SHA-256, and traced as an X-Ray "aws"
// subsegment of the caller's span. The endpoint is a one-request HTTP server on 127.0.0.1.
#include "objects/s3_store.hpp"

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
#include <map>

#include "support/run_until_done.hpp"
#include "tracing/context.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

using oms::testing::run_until_done;

namespace asio = boost::asio;

// Answers every request with `reply`, recording each request's head.
class FakeS3 {
 public:
  FakeS3(asio::io_context& io, std::string reply)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), reply_(std::move(reply)) {
    asio::co_spawn(io, serve(), asio::detached);
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> requests;

 private:
  asio::awaitable<void> serve() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::streambuf request;
      const std::size_t n = co_await asio::async_read_until(socket, request, "\r\n\r\n", asio::use_awaitable);
      requests.emplace_back(asio::buffers_begin(request.data()), asio::buffers_begin(request.data()) + n);
      co_await asio::async_write(socket, asio::buffer(reply_), asio::use_awaitable);
    }
  }
  asio::ip::tcp::acceptor acceptor_;
  std::string reply_;
};

TEST(S3Store, HeadIsSignedReadBackAndTraced) {
  asio::io_context io;
  const std::string content = "hello";
  const std::string checksum = util::base64_encode(util::sha256(content));
  FakeS3 s3(io, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\nx-amz-checksum-sha256: " +
                    checksum + "\r\nConnection: close\r\n\r\n");
  domain::ManualClock clock(*util::parse_timestamp("2026-11-29T12:00:00Z"));
  const std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                                  {"AWS_SECRET_ACCESS_KEY", "secret"}};
  EnvLookup lookup = [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const std::string url = "s3://bucket/pre?region=eu-west-1&endpoint=http://127.0.0.1:" + std::to_string(s3.port());
  S3Store store(io.get_executor(), parse_s3_url(url, lookup),
                std::make_shared<CredentialsProvider>(io.get_executor(), lookup, clock), clock);
  tracing::Trace trace("oms", "1-5759e988-bd862e3fe1be46a994272793", "");
  const auto head = run_until_done(io, tracing::with_span(trace.segment(), store.head("a/b")));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size_bytes, 5U);
  EXPECT_EQ(head->sha256_hex, util::sha256_hex(content));

  ASSERT_EQ(s3.requests.size(), 1U);
  const std::string& sent = s3.requests.front();
  EXPECT_EQ(sent.rfind("HEAD /bucket/pre/a/b HTTP/1.1\r\n", 0), 0U) << sent;
  EXPECT_NE(sent.find("x-amz-date: 20261129T120000Z"), std::string::npos) << sent;
  EXPECT_NE(sent.find("x-amz-checksum-mode: ENABLED"), std::string::npos) << sent;
  EXPECT_NE(sent.find("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-west-1/s3/aws4_request, "
                      "SignedHeaders=host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date, Signature="),
            std::string::npos)
      << sent;

  EXPECT_EQ(trace.subsegments(), 1U);
  const std::string doc = trace.document();
  EXPECT_NE(doc.find(R"("namespace":"aws")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("operation":"HeadObject")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"("bucket_name":"bucket")"), std::string::npos) << doc;
}

TEST(S3Store, UrlsNameBucketPrefixRegionAndEndpoint) {
  EnvLookup env = [](const char* name) -> std::optional<std::string> {
    if (std::string_view(name) == "AWS_REGION") return "eu-central-1";
    return std::nullopt;
  };
  const auto aws = parse_s3_url("s3://opportunity-attachments-prod", env);
  EXPECT_EQ(aws.scheme_host, "https://opportunity-attachments-prod.s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(s3_object_path(aws, "o/u"), "/o/u");
  const auto local = parse_s3_url("s3://b/x/y?endpoint=http://127.0.0.1:4569", env);
  EXPECT_EQ(local.host, "127.0.0.1:4569");
  EXPECT_EQ(s3_object_path(local, "o/u"), "/b/x/y/o/u");
  EXPECT_THROW(parse_s3_url("s3://b?colour=red", env), std::invalid_argument);
  EXPECT_THROW(parse_s3_url("s3://b?endpoint=ftp://h", env), std::invalid_argument);
  EXPECT_THROW(parse_s3_url("file:///tmp", env), std::invalid_argument);
}

}  // namespace
}  // namespace oms::objects
