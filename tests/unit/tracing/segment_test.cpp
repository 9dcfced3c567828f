// Segment documents, their delivery over UDP to a receiver on 127.0.0.1, and the storage port's
// subsegments recorded under the span a coroutine runs with (a real SQLite database).
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "storage/open.hpp"
#include "tracing/context.hpp"
#include "tracing/traced_database.hpp"
#include "tracing/tracer.hpp"
#include "util/encoding.hpp"

namespace oms::tracing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using udp = asio::ip::udp;

json::object parse(const std::string& text) { return json::parse(text).as_object(); }

// A UDP receiver on 127.0.0.1; receive() waits at most 10 s (a bound, not an assertion of speed).
class Receiver {
 public:
  Receiver() : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    timeval tv{10, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(socket_.local_endpoint().port()); }
  std::string receive() {
    std::string buffer(70000, '\0');
    udp::endpoint from;
    boost::system::error_code ec;
    const auto n = socket_.receive_from(asio::buffer(buffer), from, 0, ec);
    if (ec) return {};
    buffer.resize(n);
    return buffer;
  }

 private:
  asio::io_context io_;
  udp::socket socket_;
};

TEST(Trace, DocumentIsASegmentWithNestedSubsegments) {
  Trace trace("oms", "1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8");
  Span db = trace.segment().start_child("PostgreSQL");
  db.set_namespace("remote");
  Span q = db.start_child("query");
  q.set("sql", json::object{{"sanitized_query", "SELECT 1"}});
  q.end();
  db.mark_fault();
  db.end();
  trace.segment().set("http", "request", json::object{{"method", "GET"}});
  trace.segment().set("http", "response", json::object{{"status", 200}});
  trace.segment().annotate("route", "/health");
  trace.segment().end();

  auto doc = parse(trace.document());
  EXPECT_EQ(doc["name"], "oms");
  EXPECT_EQ(doc["trace_id"], "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(doc["parent_id"], "53995c3f42cd8ad8");
  EXPECT_EQ(doc["id"], json::value(trace.segment_id()));
  EXPECT_TRUE(is_span_id(trace.segment_id()));
  EXPECT_LE(doc["start_time"].to_number<double>(), doc["end_time"].to_number<double>());
  EXPECT_EQ(doc["http"].at("request").at("method"), "GET");
  EXPECT_EQ(doc["http"].at("response").at("status"), 200);
  EXPECT_EQ(doc["annotations"].at("route"), "/health");
  const auto& subs = doc["subsegments"].as_array();
  ASSERT_EQ(subs.size(), 1u);
  const auto& sub = subs[0].as_object();
  EXPECT_EQ(sub.at("name"), "PostgreSQL");
  EXPECT_EQ(sub.at("namespace"), "remote");
  EXPECT_EQ(sub.at("fault"), true);
  EXPECT_FALSE(sub.contains("trace_id"));  // only the segment names the trace
  EXPECT_GE(sub.at("start_time").to_number<double>(), doc["start_time"].to_number<double>());
  const auto& query = sub.at("subsegments").as_array().at(0).as_object();
  EXPECT_EQ(query.at("sql").at("sanitized_query"), "SELECT 1");
  EXPECT_LE(query.at("end_time").to_number<double>(), sub.at("end_time").to_number<double>());
}

TEST(Trace, CapsSubsegmentsAndCountsTheRest) {
  Trace trace("oms", new_trace_id(std::chrono::system_clock::now()), "");
  for (std::size_t i = 0; i < Trace::k_max_subsegments + 5; ++i) trace.segment().start_child("step").end();
  EXPECT_EQ(trace.subsegments(), Trace::k_max_subsegments);
  EXPECT_EQ(trace.dropped_subsegments(), 5u);
  auto doc = parse(trace.document());
  EXPECT_EQ(doc["subsegments"].as_array().size(), Trace::k_max_subsegments);
  EXPECT_EQ(doc["annotations"].at("dropped_subsegments"), 5);
  // A no-op span does nothing and makes no-op children.
  Span none;
  EXPECT_FALSE(none.start_child("x"));
  none.end();
}

TEST(XRayEmitter, SendsTheDaemonHeaderAndTheDocumentInOneDatagram) {
  Receiver receiver;
  asio::io_context io;
  XRayEmitter emitter(io.get_executor(), receiver.address());
  emitter.send(R"({"name":"oms"})");
  EXPECT_EQ(receiver.receive(), "{\"format\":\"json\",\"version\":1}\n{\"name\":\"oms\"}");
  EXPECT_EQ(emitter.sent(), 1u);
  EXPECT_EQ(emitter.failed(), 0u);
  // Too large for one datagram: dropped and counted, nothing thrown.
  emitter.send(std::string(70000, 'x'));
  EXPECT_EQ(emitter.failed(), 1u);
  EXPECT_THROW(XRayEmitter(io.get_executor(), "127.0.0.1"), std::invalid_argument);
  EXPECT_THROW(XRayEmitter(io.get_executor(), "127.0.0.1:0"), std::invalid_argument);
  EXPECT_THROW(XRayEmitter(io.get_executor(), ":2000"), std::invalid_argument);
}

TEST(Tracer, HonoursTheCallersDecisionAndTheRate) {
  asio::io_context io;
  Tracer off;
  EXPECT_FALSE(off.sample(true));
  EXPECT_EQ(off.start("oms", TraceContext{}), nullptr);

  Receiver receiver;
  TracerOptions o;
  o.enabled = true;
  o.daemon_address = receiver.address();
  o.sample_rate = 0;
  Tracer never(io.get_executor(), o);
  EXPECT_TRUE(never.sample(true));
  EXPECT_FALSE(never.sample(std::nullopt));
  o.sample_rate = 1;
  Tracer always(io.get_executor(), o);
  EXPECT_FALSE(always.sample(false));
  EXPECT_TRUE(always.sample(std::nullopt));

  // An unusable daemon address leaves tracing off instead of failing the service.
  TracerOptions bad = o;
  bad.daemon_address = "127.0.0.1:notaport";
  Tracer unresolved(io.get_executor(), bad);
  EXPECT_FALSE(unresolved.enabled());
  EXPECT_NE(unresolved.error().find("127.0.0.1:notaport"), std::string::npos);

  TraceContext incoming{"1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true};
  auto trace = always.start("oms", incoming);
  ASSERT_NE(trace, nullptr);
  always.finish(*trace);
  const std::string datagram = receiver.receive();
  ASSERT_TRUE(datagram.starts_with(k_daemon_header)) << datagram;
  auto doc = parse(datagram.substr(k_daemon_header.size()));
  EXPECT_EQ(doc["trace_id"], json::value(incoming.trace_id));
  EXPECT_EQ(doc["parent_id"], json::value(incoming.parent_id));
  EXPECT_EQ(always.segments_sent(), 1u);
  EXPECT_NE(always.render_metrics().find("xray_segments_total{outcome=\"sent\"} 1"), std::string::npos);
}

class TracedDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("OMS_TEST_TMPDIR");
    dir_ =
        std::filesystem::path(tmp != nullptr ? tmp : "/tmp") / ("tracing-" + util::hex_encode(util::random_bytes(6)));
    std::filesystem::create_directories(dir_);
    storage::DatabaseOptions options;
    options.url = "sqlite://" + (dir_ / "t.db").string();
    db_ = storage::open_database(io_.get_executor(), options);
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    db_->close();
    guard_.reset();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }
  template <class T>
  T run(asio::awaitable<T> a) {
    return asio::co_spawn(io_, std::move(a), asio::use_future).get();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_{io_.get_executor()};
  std::thread thread_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

asio::awaitable<std::int64_t> two_queries(storage::Database& db) {
  auto session = co_await db.begin(storage::Access::read_write);
  co_await session->query("CREATE TABLE IF NOT EXISTS t (v INTEGER)");
  storage::Params params{std::int64_t{7}};
  co_await session->query("INSERT INTO t (v) VALUES ($1)", std::move(params));
  auto r = co_await session->query("SELECT COUNT(*) FROM t");
  co_await session->commit();
  co_return r.rows.at(0).i64(0);
}

asio::awaitable<std::int64_t> traced_two_queries(Span span, storage::Database& db) {
  auto body = two_queries(db);
  co_return co_await with_span(span, std::move(body));
}

TEST_F(TracedDatabaseTest, SessionsAndQueriesBecomeSubsegmentsOfTheCurrentSpan) {
  TracedDatabase traced(*db_, "sqlite://" + (dir_ / "t.db").string());
  Trace trace("oms", new_trace_id(std::chrono::system_clock::now()), "");
  EXPECT_EQ(run(traced_two_queries(trace.segment(), traced)), 1);
  auto doc = parse(trace.document());
  const auto& subs = doc["subsegments"].as_array();
  ASSERT_EQ(subs.size(), 1u);
  const auto& session = subs[0].as_object();
  EXPECT_EQ(session.at("name"), "SQLite");
  EXPECT_EQ(session.at("namespace"), "remote");
  EXPECT_EQ(session.at("sql").at("database_type"), "SQLite");
  EXPECT_EQ(session.at("annotations").at("outcome"), "commit");
  const auto& queries = session.at("subsegments").as_array();
  ASSERT_EQ(queries.size(), 3u);
  EXPECT_EQ(queries[1].at("sql").at("sanitized_query"), "INSERT INTO t (v) VALUES ($1)");
  EXPECT_EQ(queries[1].at("sql").at("preparation"), "statement");

  // Outside a traced coroutine nothing is recorded.
  EXPECT_EQ(run(two_queries(traced)), 2);
  EXPECT_EQ(trace.subsegments(), 4u);
}

TEST(TracedDatabaseUrl, DropsCredentialsAndParameters) {
  EXPECT_EQ(sanitized_database_url("postgresql://oms:secret@127.0.0.1:6432/oms?sslmode=disable"),
            "postgresql://127.0.0.1:6432/oms");
  EXPECT_EQ(sanitized_database_url("postgresql://oms@db/oms"), "postgresql://db/oms");
  EXPECT_EQ(sanitized_database_url("sqlite://./data/oms.db"), "sqlite://./data/oms.db");
}

}  // namespace
}  // namespace oms::tracing
