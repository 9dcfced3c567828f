// The server's connection handling over an in-memory stream (serve_bytes): framing that could
// be read two ways is refused once and the connection closed; valid keep-alive, pipelining,
// chunked bodies and absolute-form targets work. Raw-socket variants: tests/api/test_http_edge.py.
// File bodies are streamed whole, or the connection is closed when the file falls short.
// Over TCP: connections are spread over the server's I/O contexts.
#include "http/server.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include "logging/logging.hpp"
#include "util/file_handle.hpp"

namespace oms::http {
namespace {

namespace asio = boost::asio;

struct ServerTest : ::testing::Test {
  Router router;
  Metrics metrics;
  RateLimiter limiter{0, 1};
  std::unique_ptr<Pipeline> pipeline;
  // GET /file answers with this file's bytes, announcing file_announced bytes.
  std::filesystem::path file_path;
  std::uint64_t file_announced = 0;

  void TearDown() override {
    if (!file_path.empty()) std::filesystem::remove(file_path);
  }

  // A file of `size` bytes whose every byte differs from its neighbours', so a missing or
  // repeated chunk shows.
  std::string make_file(std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7 + i / 251) % 256);
    file_path =
        std::filesystem::temp_directory_path() / ("oms-server-test-" + std::to_string(::getpid()) + "-" +
                                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::ofstream(file_path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
  }

  void SetUp() override {
    logging::init_logging("off", "test");
    RouteOptions open;
    open.authenticated = false;
    router.add(
        Method::get, "/health", [](Request&) -> awaitable<Response> { co_return Response::json(200, "{}"); }, open);
    router.add(
        Method::get, "/thread",
        [](Request&) -> awaitable<Response> {
          co_return Response::json(200, std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
        },
        open);
    router.add(
        Method::post, "/echo",
        [](Request& r) -> awaitable<Response> {
          co_return Response::json(200, "{\"n\":" + std::to_string(r.body.size()) + "}");
        },
        open);
    router.add(
        Method::get, "/file",
        [this](Request&) -> awaitable<Response> {
          Response res;
          res.content_type = "application/octet-stream";
          res.body_file = std::make_shared<util::FileHandle>(::open(file_path.c_str(), O_RDONLY | O_CLOEXEC));
          res.body_file_size = file_announced;
          co_return res;
        },
        open);
    Authenticate authn = [](std::string) -> awaitable<domain::Principal> { co_return domain::Principal{}; };
    pipeline = std::make_unique<Pipeline>(router, metrics, limiter, authn, TouchUser{});
  }

  std::string serve(std::string input) {
    asio::io_context io;
    auto run = serve_bytes(*pipeline, ServerOptions{}, std::move(input));
    auto f = asio::co_spawn(io, std::move(run), asio::use_future);
    io.run();
    return f.get();
  }

  static std::vector<int> statuses(const std::string& out) {
    std::vector<int> codes;
    static const std::regex status("HTTP/1\\.1 (\\d{3}) ");
    for (std::sregex_iterator it(out.begin(), out.end(), status), end; it != end; ++it)
      codes.push_back(std::stoi((*it)[1]));
    return codes;
  }
};

TEST_F(ServerTest, PipelinedAndChunkedRequestsAreServedInOrder) {
  const std::string out = serve(
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "GET http://x/health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statuses(out), (std::vector<int>{200, 200, 200})) << out;
  EXPECT_NE(out.find("{\"n\":3}"), std::string::npos) << out;
}

TEST_F(ServerTest, SmugglingFramingIsRefusedOnceAndTheRestIsNeverRun) {
  for (const char* te : {"xchunked", "gzip", "identity", "chunked, identity", "gzip, chunked"}) {
    const std::string out = serve(std::string("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + te +
                                  "\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(statuses(out), std::vector<int>{400}) << te << "\n" << out;
    EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
  }
}

TEST_F(ServerTest, ContentLengthMustBeOnePlainNumber) {
  for (const char* cl : {"+3", "-3", "3 3", "3, 3", "0x3", ""}) {
    const std::string out =
        serve(std::string("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ") + cl + "\r\n\r\nabcGET /health");
    EXPECT_EQ(statuses(out), std::vector<int>{400}) << "Content-Length: " << cl << "\n" << out;
  }
  EXPECT_EQ(statuses(serve("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")),
            std::vector<int>{400});
}

TEST_F(ServerTest, FoldedHeadersMissingHostAndBadChunksAreRefused) {
  EXPECT_EQ(statuses(serve("GET /health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n")), std::vector<int>{400});
  EXPECT_EQ(statuses(serve("GET /health HTTP/1.1\r\n\r\n")), std::vector<int>{400});
  EXPECT_EQ(statuses(serve("GET /health HTTP/1.0\r\n\r\n")), std::vector<int>{200});
  EXPECT_EQ(statuses(serve("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n")),
            std::vector<int>{400});
  EXPECT_EQ(statuses(serve("GET http://u@x/health HTTP/1.1\r\nHost: x\r\n\r\n")), std::vector<int>{400});
}

TEST_F(ServerTest, InvalidUtf8InThePathIsNotEchoed) {
  const std::string out = serve("GET /nope/%FF HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statuses(out), std::vector<int>{404});
  EXPECT_EQ(out.find('\xFF'), std::string::npos);
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
}

TEST_F(ServerTest, AFileBodyIsStreamedWholeAcrossManyChunksAndHeadSendsOnlyItsLength) {
  const std::string bytes = make_file(3 * 64 * 1024 + 12345);  // not a whole number of chunks
  file_announced = bytes.size();
  const std::string out = serve(
      "GET /file HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /file HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statuses(out), (std::vector<int>{200, 200, 200}));
  const std::string length = "Content-Length: " + std::to_string(bytes.size()) + "\r\n";
  const auto first_end = out.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_NE(out.substr(0, first_end + 2).find(length), std::string::npos) << out.substr(0, first_end);
  EXPECT_EQ(out.compare(first_end + 4, bytes.size(), bytes), 0) << "the body differs from the file";
  const std::string rest = out.substr(first_end + 4 + bytes.size());
  EXPECT_EQ(rest.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << rest.substr(0, 200);  // HEAD: next, no body
  EXPECT_NE(rest.find(length), std::string::npos);
  const auto head_end = rest.find("\r\n\r\n");
  EXPECT_EQ(rest.find("HTTP/1.1 200 OK\r\n", head_end), head_end + 4) << "HEAD sent a body";
}

TEST_F(ServerTest, AFileShorterThanAnnouncedClosesTheConnectionWithoutAnsweringMore) {
  const std::string bytes = make_file(64 * 1024 + 100);
  file_announced = bytes.size() + 1000;
  const std::string out = serve(
      "GET /file HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statuses(out), std::vector<int>{200});
  const auto head_end = out.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(out.size() - head_end - 4, bytes.size()) << "only the file's own bytes, then the close";
}

// GET /thread on a blocking client connection: which thread answered.
std::string thread_answering(asio::ip::tcp::socket& client) {
  namespace bhttp = boost::beast::http;
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, "/thread", 11};
  request.set(bhttp::field::host, "x");
  bhttp::write(client, request);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(client, buffer, response);
  EXPECT_EQ(response.result_int(), 200);
  return response.body();
}

// Each connection lives on one context, the contexts taken in turn, and all its requests run on
// that context's thread: one context per thread, with no hand-off between threads.
TEST_F(ServerTest, ConnectionsTakeTheIoContextsInTurnAndStayOnTheirThread) {
  asio::io_context other(1);  // outlives `io`, whose pending accept (if any) owns a socket of it
  asio::io_context io(1);
  auto keep_io = asio::make_work_guard(io);
  auto keep_other = asio::make_work_guard(other);
  ServerOptions options;
  options.port = 0;
  Server server(io, *pipeline, options, {&other});
  const unsigned short port = server.listen();
  server.start();
  std::thread io_thread([&] { io.run(); });
  std::thread other_thread([&] { other.run(); });
  const std::string on_io = std::to_string(std::hash<std::thread::id>{}(io_thread.get_id()));
  const std::string on_other = std::to_string(std::hash<std::thread::id>{}(other_thread.get_id()));

  asio::io_context clients;
  std::vector<asio::ip::tcp::socket> connections;
  for (int i = 0; i < 4; ++i) {
    connections.emplace_back(clients);
    connections.back().connect({asio::ip::make_address("127.0.0.1"), port});
    // Accepted in order: wait for this one's answer before opening the next.
    const std::string first = thread_answering(connections.back());
    EXPECT_EQ(first, i % 2 == 0 ? on_io : on_other) << "connection " << i;
  }
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(thread_answering(connections[static_cast<std::size_t>(i)]), i % 2 == 0 ? on_io : on_other)
          << "connection " << i << ", round " << round;

  asio::co_spawn(io, server.shutdown(std::chrono::milliseconds(500)), asio::use_future).get();
  EXPECT_EQ(server.connections(), 0u);
  keep_io.reset();
  keep_other.reset();
  io.stop();
  other.stop();
  io_thread.join();
  other_thread.join();
}

}  // namespace
}  // namespace oms::http
