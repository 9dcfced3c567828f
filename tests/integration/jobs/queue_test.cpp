// The job queue on both stores: leases and the visibility timeout, idempotent enqueueing,
// concurrent claims that never share a job (PostgreSQL: FOR UPDATE SKIP LOCKED, also without
// prepared statements as behind PgBouncer), and the runner: retries, dead letter, a poisoned job
// type that does not stop the others.
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/system_clock.hpp"
#include "adapters/time_ordered_ids.hpp"
#include "domain/clock.hpp"
#include "integration/storage/storage_fixture.hpp"
#include "jobs/runner.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories/job_repository.hpp"
#include "support/numbered.hpp"
#include "tracing/traced_database.hpp"
#include "tracing/tracer.hpp"

namespace oms::jobs {
namespace {

using namespace std::chrono_literals;
using storage::JobRepository;
using storage::JobRow;
using storage::NewJob;
using storage::testing::make_timestamp;

class JobsTest : public storage::testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (HasFatalFailure()) return;
    db_ = open();
    auto make = [&]() -> storage::awaitable<void> { co_await storage::migrate(*db_); };
    run(make);
  }
  void TearDown() override {
    if (db_) db_->close();
    StorageTest::TearDown();
  }

  NewJob job(std::string type, std::string key, std::int64_t max_attempts, domain::Timestamp now) {
    return NewJob{ids_.next(), std::move(type), std::move(key), R"({"n":1})", max_attempts, now, now};
  }
  bool enqueue(const NewJob& j) {
    auto make = [&]() -> storage::awaitable<bool> {
      auto s = co_await db_->begin(storage::Access::read_write);
      const bool added = co_await JobRepository::enqueue(*s, j);
      co_await s->commit();
      co_return added;
    };
    return run(make);
  }
  std::vector<JobRow> claim(const std::string& owner, domain::Timestamp now, int limit = 1,
                            std::chrono::seconds lease = 30s) {
    auto make = [&]() -> storage::awaitable<std::vector<JobRow>> {
      auto s = co_await db_->begin(storage::Access::read_write);
      co_await JobRepository::bury_expired(*s, now);
      auto rows = co_await JobRepository::claim(*s, owner, now, now + lease, limit);
      co_await s->commit();
      co_return rows;
    };
    return run(make);
  }
  // One transition in its own transaction; its result. Asio's awaitables start when awaited, so
  // every argument `f` passes by reference must outlive the call (named strings, not literals).
  template <class F>
  bool write(F f) {
    auto make = [&]() -> storage::awaitable<bool> {
      auto s = co_await db_->begin(storage::Access::read_write);
      const bool out = co_await f(*s);
      co_await s->commit();
      co_return out;
    };
    return run(make);
  }
  JobRow find(const std::string& id) {
    auto make = [&]() -> storage::awaitable<JobRow> {
      auto s = co_await db_->begin(storage::Access::read_only);
      auto row = co_await JobRepository::find(*s, id);
      co_await s->commit();
      co_return row.value();
    };
    return run(make);
  }

  std::unique_ptr<storage::Database> db_;
  adapters::TimeOrderedIdGenerator ids_;
  const domain::Timestamp t0_ = make_timestamp(2026, 3, 2, 9, 0, 0, 0);
};

TEST_P(JobsTest, EnqueueIsIdempotentByTypeAndKey) {
  EXPECT_TRUE(enqueue(job("a", "key-1", 3, t0_)));
  EXPECT_FALSE(enqueue(job("a", "key-1", 3, t0_)));
  EXPECT_TRUE(enqueue(job("b", "key-1", 3, t0_)));
  EXPECT_EQ(claim("w", t0_, 10).size(), 2u);
}

TEST_P(JobsTest, NotDueJobsWaitAndAnExpiredLeaseMakesTheJobClaimableAgain) {
  NewJob later = job("a", "k", 2, t0_);
  later.run_after = t0_ + 10s;
  ASSERT_TRUE(enqueue(later));
  EXPECT_TRUE(claim("w1", t0_).empty());
  auto first = claim("w1", t0_ + 10s);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].state, "RUNNING");
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].lease_owner, "w1");
  EXPECT_TRUE(claim("w2", t0_ + 39s).empty());  // leased to w1 until t0 + 40 s
  auto second = claim("w2", t0_ + 41s);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, first[0].id);
  EXPECT_EQ(second[0].attempts, 2);
  // w1 lost its lease: its late outcome changes nothing.
  const std::string id = first[0].id;
  const std::string w1 = "w1";
  EXPECT_FALSE(write([&](storage::Session& s) { return JobRepository::succeed(s, id, w1, t0_ + 42s); }));
  EXPECT_EQ(find(id).lease_owner, "w2");
  // w2 dies too, on the last attempt: the job is dead, not claimed a third time.
  EXPECT_TRUE(claim("w3", t0_ + 80s).empty());
  const JobRow dead = find(id);
  EXPECT_EQ(dead.state, "DEAD");
  EXPECT_TRUE(dead.last_error.has_value());
  EXPECT_TRUE(dead.finished_at.has_value());
}

TEST_P(JobsTest, RetryLaterReleaseAndReviveFollowTheStates) {
  ASSERT_TRUE(enqueue(job("a", "k", 2, t0_)));
  auto c = claim("w", t0_);
  ASSERT_EQ(c.size(), 1u);
  const std::string id = c[0].id;
  const std::string w = "w", boom = "boom", gave_up = "gave up";
  EXPECT_TRUE(
      write([&](storage::Session& s) { return JobRepository::retry_later(s, id, w, t0_ + 1s, t0_ + 5s, boom); }));
  JobRow queued = find(id);
  EXPECT_EQ(queued.state, "QUEUED");
  EXPECT_EQ(queued.last_error, "boom");
  EXPECT_FALSE(queued.lease_owner.has_value());
  EXPECT_TRUE(claim("w", t0_ + 4s).empty());
  ASSERT_EQ(claim("w", t0_ + 5s).size(), 1u);
  // Draining gives the lease back without counting the attempt.
  EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::release(s, id, w, t0_ + 6s); }));
  EXPECT_EQ(find(id).attempts, 1);
  EXPECT_FALSE(write([&](storage::Session& s) { return JobRepository::revive(s, id, t0_ + 6s); }));  // not DEAD
  ASSERT_EQ(claim("w", t0_ + 6s).size(), 1u);
  EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::bury(s, id, w, t0_ + 7s, gave_up); }));
  EXPECT_EQ(find(id).state, "DEAD");
  EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::revive(s, id, t0_ + 8s); }));
  const JobRow revived = find(id);
  EXPECT_EQ(revived.state, "QUEUED");
  EXPECT_EQ(revived.attempts, 0);
  EXPECT_FALSE(revived.finished_at.has_value());
}

TEST_P(JobsTest, RetentionDeletesOnlySucceededJobsFinishedBeforeTheCutOff) {
  for (const char* key : {"a", "b", "c", "d"}) ASSERT_TRUE(enqueue(job("t", key, 1, t0_)));
  auto jobs = claim("w", t0_, 4);
  ASSERT_EQ(jobs.size(), 4u);
  std::sort(jobs.begin(), jobs.end(),
            [](const JobRow& x, const JobRow& y) { return x.idempotency_key < y.idempotency_key; });
  const std::string w = "w", why = "dead";
  for (int i : {0, 1})
    EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::succeed(s, jobs[i].id, w, t0_ + 1s); }));
  EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::succeed(s, jobs[2].id, w, t0_ + 5s); }));
  EXPECT_TRUE(write([&](storage::Session& s) { return JobRepository::bury(s, jobs[3].id, w, t0_ + 1s, why); }));
  auto purge = [&](int limit) {
    auto make = [&]() -> storage::awaitable<std::int64_t> {
      auto s = co_await db_->begin(storage::Access::read_write);
      const auto n = co_await JobRepository::purge_succeeded(*s, t0_ + 2s, limit);
      co_await s->commit();
      co_return n;
    };
    return run(make);
  };
  EXPECT_EQ(purge(1), 1);  // bounded by the limit
  EXPECT_EQ(purge(10), 1);
  EXPECT_EQ(purge(10), 0);
  EXPECT_EQ(find(jobs[2].id).state, "SUCCEEDED");  // finished after the cut-off
  EXPECT_EQ(find(jobs[3].id).state, "DEAD");       // dead jobs wait for an admin
}

// One claimer: claims batches of 3 until nothing is left. A coroutine function, not a lambda: the
// frame owns its parameters, while a lambda's captures die with the lambda object.
storage::awaitable<void> claim_until_empty(storage::Database& db, std::string owner, domain::Timestamp now,
                                           std::mutex& mutex, std::multiset<std::string>& claimed) {
  for (int round = 0; round < 200; ++round) {
    auto s = co_await db.begin(storage::Access::read_write);
    auto rows = co_await JobRepository::claim(*s, owner, now, now + 30s, 3);
    co_await s->commit();
    if (rows.empty()) break;
    std::lock_guard lock(mutex);
    for (const auto& r : rows) claimed.insert(r.id);
  }
}

// Claimers in parallel, each in its own transaction: every job is claimed exactly once.
void concurrent_claims_never_share(storage::testing::IoThreads& io, storage::Database& db, domain::Timestamp now,
                                   int jobs) {
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::future<void>> claimers;
  for (int c = 0; c < 4; ++c) {
    std::string owner = oms::testing::numbered("w", c);
    claimers.push_back(
        boost::asio::co_spawn(io.io(), claim_until_empty(db, owner, now, mutex, claimed), boost::asio::use_future));
  }
  for (auto& f : claimers) f.get();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(jobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size()) << "a job claimed twice";
}

TEST_P(JobsTest, ConcurrentClaimsNeverShareAJob) {
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(enqueue(job("a", oms::testing::numbered("k", i), 3, t0_)));
  concurrent_claims_never_share(io_, *db_, t0_, 40);
}

TEST_P(JobsTest, ConcurrentClaimsWithoutPreparedStatements) {
  // PgBouncer's transaction mode concerns PostgreSQL; SQLite ignores the option.
  storage::DatabaseOptions options;
  options.prepared_statements = false;
  auto unprepared = open(options);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(enqueue(job("a", oms::testing::numbered("k", i), 3, t0_)));
  concurrent_claims_never_share(io_, *unprepared, t0_, 30);
  unprepared->close();
}

TEST_P(JobsTest, APoisonedJobEndsDeadAfterItsRetriesWithoutStoppingOthers) {
  adapters::SystemClock clock;
  const auto now = clock.now();
  ASSERT_TRUE(enqueue(job("test.poison", "p", 3, now)));
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(enqueue(job("test.ok", oms::testing::numbered("ok", i), 3, now)));
  ASSERT_TRUE(enqueue(job("test.unknown", "u", 3, now)));

  std::mutex mutex;
  std::multiset<std::string> ran;
  int poison_runs = 0;
  HandlerRegistry handlers;
  handlers.add("test.poison", [&](const JobRow&) -> awaitable<void> {
    {
      std::lock_guard lock(mutex);
      ++poison_runs;
    }
    throw std::runtime_error("poisoned");
    co_return;
  });
  handlers.add("test.ok", [&](const JobRow& j) -> awaitable<void> {
    std::lock_guard lock(mutex);
    ran.insert(j.idempotency_key);
    co_return;
  });
  JobMetrics metrics;
  RunnerOptions options;
  options.concurrency = 2;
  options.idle_poll = 10ms;
  options.backoff = BackoffPolicy{1ms, 5ms};
  Runner runner(io_.io().get_executor(), *db_, clock, handlers, metrics, options);
  runner.start();

  auto count_done = [&]() {
    auto make = [&]() -> storage::awaitable<std::vector<storage::JobDepth>> {
      auto s = co_await db_->begin(storage::Access::read_only);
      auto d = co_await JobRepository::depth(*s);
      co_await s->commit();
      co_return d;
    };
    return run(make);
  };
  bool settled = false;
  for (int i = 0; i < 400 && !settled; ++i) {  // bounded: at most about 20 s
    std::this_thread::sleep_for(50ms);
    const auto depth = count_done();
    std::int64_t dead = 0, pending = 0;
    for (const auto& d : depth) (d.state == "DEAD" ? dead : pending) += d.count;
    settled = dead == 2 && pending == 0;
  }
  auto stop = [&]() { return runner.stop(5s); };
  run(stop);
  ASSERT_TRUE(settled) << "the jobs did not settle";

  EXPECT_EQ(ran.size(), 6u);
  EXPECT_EQ(std::set<std::string>(ran.begin(), ran.end()).size(), 6u) << "a succeeded job ran twice";
  EXPECT_EQ(poison_runs, 3);
  auto list = [&]() -> storage::awaitable<std::vector<JobRow>> {
    auto s = co_await db_->begin(storage::Access::read_only);
    storage::JobFilter f;
    f.state = "DEAD";
    f.limit = 10;
    auto rows = co_await JobRepository::list(*s, f);
    co_await s->commit();
    co_return rows;
  };
  const auto dead = run(list);
  ASSERT_EQ(dead.size(), 2u);
  for (const auto& d : dead) {
    if (d.type == "test.poison") {
      EXPECT_EQ(d.attempts, 3);
      EXPECT_EQ(d.last_error, "poisoned");
    } else {
      EXPECT_EQ(d.type, "test.unknown");
      EXPECT_EQ(d.attempts, 1);  // no handler: dead at once, not retried
    }
  }
  const std::string text = metrics.render();
  EXPECT_NE(text.find("oms_jobs_total{type=\"test.poison\",outcome=\"retried\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("oms_jobs_total{type=\"test.poison\",outcome=\"dead\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("oms_jobs_total{type=\"test.ok\",outcome=\"succeeded\"} 6"), std::string::npos) << text;
}

TEST_P(JobsTest, DrainingGivesBackTheLeaseOfAJobStillRunningAfterTheGrace) {
  adapters::SystemClock clock;
  ASSERT_TRUE(enqueue(job("test.slow", "s", 3, clock.now())));
  std::atomic<bool> started{false};
  HandlerRegistry handlers;
  handlers.add("test.slow", [&](const JobRow&) -> awaitable<void> {
    started = true;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(1s);
    co_await timer.async_wait(boost::asio::use_awaitable);
  });
  JobMetrics metrics;
  RunnerOptions options;
  options.concurrency = 1;
  options.idle_poll = 10ms;
  Runner runner(io_.io().get_executor(), *db_, clock, handlers, metrics, options);
  runner.start();
  for (int i = 0; i < 200 && !started; ++i) std::this_thread::sleep_for(50ms);  // bounded: 10 s
  ASSERT_TRUE(started.load());
  auto drain = [&]() { return runner.stop(50ms); };
  run(drain);
  auto list = [&]() -> storage::awaitable<std::vector<JobRow>> {
    auto s = co_await db_->begin(storage::Access::read_only);
    storage::JobFilter f;
    auto rows = co_await JobRepository::list(*s, f);
    co_await s->commit();
    co_return rows;
  };
  auto rows = run(list);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, "QUEUED");  // claimable at once by another worker
  EXPECT_EQ(rows[0].attempts, 0);      // the interrupted attempt does not count
  EXPECT_FALSE(rows[0].lease_owner.has_value());
  EXPECT_NE(metrics.render().find("oms_jobs_total{type=\"test.slow\",outcome=\"released\"} 1"), std::string::npos);
  // The handler ends later; its outcome no longer applies (the lease was given back).
  auto finish = [&]() { return runner.stop(10s); };
  run(finish);
  rows = run(list);
  EXPECT_EQ(rows[0].state, "QUEUED");
  EXPECT_NE(metrics.render().find("outcome=\"lease_lost\"} 1"), std::string::npos) << metrics.render();
}

// Two workers share the queue; one job runs three times as long as the visibility timeout. The
// heartbeat keeps extending its lease, so the other worker never claims it: it runs once.
TEST_P(JobsTest, AJobLongerThanTheVisibilityTimeoutRunsOnceWhileItsHeartbeatExtendsTheLease) {
  adapters::SystemClock clock;
  ASSERT_TRUE(enqueue(job("test.long", "l", 3, clock.now())));
  std::atomic<int> runs{0};
  HandlerRegistry handlers;
  handlers.add("test.long", [&](const JobRow&) -> awaitable<void> {
    ++runs;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(3s);
    co_await timer.async_wait(boost::asio::use_awaitable);
  });
  JobMetrics metrics;
  RunnerOptions options;
  options.concurrency = 1;
  options.idle_poll = 10ms;
  options.lease = 1s;  // the visibility timeout; the heartbeat beats every third of it
  options.owner = "w1";
  Runner first(io_.io().get_executor(), *db_, clock, handlers, metrics, options);
  options.owner = "w2";
  Runner second(io_.io().get_executor(), *db_, clock, handlers, metrics, options);
  first.start();
  second.start();
  std::optional<JobRow> row;
  for (int i = 0; i < 300; ++i) {  // bounded: at most about 15 s
    std::this_thread::sleep_for(50ms);
    auto list = [&]() -> storage::awaitable<std::vector<JobRow>> {
      auto s = co_await db_->begin(storage::Access::read_only);
      const storage::JobFilter all;
      auto rows = co_await JobRepository::list(*s, all);
      co_await s->commit();
      co_return rows;
    };
    auto rows = run(list);
    if (rows.size() == 1 && rows[0].state == "SUCCEEDED") {
      row = rows[0];
      break;
    }
  }
  auto stop_first = [&]() { return first.stop(5s); };
  auto stop_second = [&]() { return second.stop(5s); };
  run(stop_first);
  run(stop_second);
  ASSERT_TRUE(row) << "the job did not succeed";
  EXPECT_EQ(runs.load(), 1) << "the job ran again while its first run was still going";
  EXPECT_EQ(row->attempts, 1);
  EXPECT_NE(metrics.render().find("oms_jobs_total{type=\"test.long\",outcome=\"succeeded\"} 1"), std::string::npos)
      << metrics.render();
}

// The worker's traces: a sampled job run is one segment "oms-worker" sent over UDP to the X-Ray
// daemon (here a socket of the test), annotated with the job, its database sessions (the
// handler's and the outcome's) as "remote" subsegments holding their queries.
TEST_P(JobsTest, ASampledJobRunIsAnXRaySegmentWithItsDatabaseWorkAsSubsegments) {
  namespace asio = boost::asio;
  asio::io_context udp_io;
  asio::ip::udp::socket daemon(udp_io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  daemon.non_blocking(true);
  tracing::TracerOptions tracer_options;
  tracer_options.enabled = true;
  tracer_options.daemon_address = "127.0.0.1:" + std::to_string(daemon.local_endpoint().port());
  tracer_options.sample_rate = 1.0;
  tracing::Tracer tracer(io_.io().get_executor(), tracer_options);
  ASSERT_TRUE(tracer.enabled()) << tracer.error();
  tracing::TracedDatabase traced(*db_, "postgresql://user:secret@127.0.0.1/db");

  adapters::SystemClock clock;
  const NewJob queued = job("test.traced", "t", 3, clock.now());
  ASSERT_TRUE(enqueue(queued));
  HandlerRegistry handlers;
  handlers.add("test.traced", [&](const JobRow& j) -> awaitable<void> {
    auto s = co_await traced.begin(storage::Access::read_only);
    co_await JobRepository::find(*s, j.id);
    co_await s->commit();
  });
  JobMetrics metrics;
  RunnerOptions options;
  options.concurrency = 1;
  options.idle_poll = 10ms;
  options.tracer = &tracer;
  Runner runner(io_.io().get_executor(), traced, clock, handlers, metrics, options);
  runner.start();
  std::string datagram;
  for (int i = 0; i < 200 && datagram.empty(); ++i) {  // bounded: at most about 10 s
    std::array<char, 65536> buffer{};
    asio::ip::udp::endpoint from;
    boost::system::error_code ec;
    const std::size_t n = daemon.receive_from(asio::buffer(buffer), from, 0, ec);
    if (!ec) {
      datagram.assign(buffer.data(), n);
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
  auto stop = [&]() { return runner.stop(5s); };
  run(stop);
  ASSERT_FALSE(datagram.empty()) << "no segment reached the daemon";
  const auto newline = datagram.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(boost::json::parse(datagram.substr(0, newline)), boost::json::parse(R"({"format":"json","version":1})"));
  const auto doc = boost::json::parse(datagram.substr(newline + 1)).as_object();
  EXPECT_EQ(doc.at("name"), "oms-worker");
  EXPECT_TRUE(tracing::is_xray_trace_id(doc.at("trace_id").as_string()));
  const auto& annotations = doc.at("annotations").as_object();
  EXPECT_EQ(annotations.at("job_type"), "test.traced");
  EXPECT_EQ(annotations.at("job_id").as_string(), queued.id);
  EXPECT_EQ(annotations.at("outcome"), "succeeded");
  const auto& subsegments = doc.at("subsegments").as_array();
  ASSERT_EQ(subsegments.size(), 2u) << doc;  // the handler's session, then the outcome's
  for (const auto& sub : subsegments) {
    const auto& o = sub.as_object();
    EXPECT_EQ(o.at("name").as_string(), GetParam() == "postgres" ? "PostgreSQL" : "SQLite");
    EXPECT_EQ(o.at("namespace"), "remote");
    EXPECT_FALSE(o.at("subsegments").as_array().empty()) << o;  // its queries
  }
  const std::string text = boost::json::serialize(doc);
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_NE(text.find("FROM jobs"), std::string::npos) << text;
  EXPECT_NE(text.find("UPDATE jobs SET state = 'SUCCEEDED'"), std::string::npos) << text;
  EXPECT_EQ(tracer.segments_sent(), 1u);
}

TEST_P(JobsTest, DepthCountsWaitingRunningAndDeadByType) {
  ASSERT_TRUE(enqueue(job("a", "1", 1, t0_)));
  ASSERT_TRUE(enqueue(job("a", "2", 1, t0_)));
  ASSERT_TRUE(enqueue(job("b", "1", 1, t0_)));
  auto c = claim("w", t0_, 1);
  ASSERT_EQ(c.size(), 1u);
  auto make = [&]() -> storage::awaitable<std::vector<storage::JobDepth>> {
    auto s = co_await db_->begin(storage::Access::read_only);
    auto d = co_await JobRepository::depth(*s);
    co_await s->commit();
    co_return d;
  };
  JobMetrics metrics;
  metrics.set_depth(run(make));
  EXPECT_EQ(metrics.backlog(), 3);
  const auto emf = metrics.emf("prod", std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  EXPECT_EQ(emf.at("JobQueueDepth").as_int64(), 3);
  EXPECT_EQ(emf.at("Environment").as_string(), "prod");
}

INSTANTIATE_TEST_SUITE_P(Engines, JobsTest, ::testing::Values("sqlite", "postgres"), storage::testing::engine_name);

}  // namespace
}  // namespace oms::jobs
