#include "app_fixture.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "storage/migrations.hpp"
#include "storage/open.hpp"
#include "util/encoding.hpp"

namespace oms::testing {

std::string store_name(const ::testing::TestParamInfo<Store>& info) {
  return info.param == Store::sqlite ? "sqlite" : "postgres";
}

Loop::Loop() : guard_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
Loop::~Loop() {
  guard_.reset();
  io_.stop();
  thread_.join();
}

domain::Principal principal(std::string id, domain::Role role) {
  domain::Principal p;
  p.name = "User " + id;
  p.email = id + "@example.com";
  p.user_id = std::move(id);
  p.role = role;
  return p;
}

bool has_field_error(const domain::DomainError& e, const std::string& field) {
  for (const auto& f : e.errors())
    if (f.field == field) return true;
  return false;
}

namespace {

void pg_admin_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to " + url + ": " + msg);
  }
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + msg);
}

// postgresql://user@host:port/db?x -> the same URL naming another database.
std::string with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + rest;
}

}  // namespace

void AppTest::SetUp() {
  storage::DatabaseOptions options;
  if (GetParam() == Store::sqlite) {
    const char* tmp = std::getenv("OMS_TEST_TMPDIR");
    std::filesystem::path dir = tmp ? tmp : std::filesystem::temp_directory_path() / "oms-test";
    std::filesystem::create_directories(dir);
    sqlite_path_ = (dir / ("app-" + util::hex_encode(util::random_bytes(8)) + ".db")).string();
    options.url = "sqlite://" + sqlite_path_;
  } else {
    const char* url = std::getenv("OMS_TEST_POSTGRES_URL");
    if (!url || !*url)
      FAIL() << "OMS_TEST_POSTGRES_URL is not set: the PostgreSQL cases need a server "
                "(scripts/pg.sh start DIR PORT prints one).";
    pg_admin_url_ = url;
    pg_database_ = "oms_app_" + util::hex_encode(util::random_bytes(6));
    pg_admin_exec(pg_admin_url_, "CREATE DATABASE " + pg_database_);
    options.url = with_database(pg_admin_url_, pg_database_);
  }
  // scripts/test.sh's PgBouncer pass: the URL is a transaction pool (no named statements across
  // transactions), and migrations go through the session pool, as in production.
  const char* pooled = std::getenv("OMS_TEST_POSTGRES_POOLED");
  const char* migrate_url = std::getenv("OMS_TEST_POSTGRES_MIGRATE_URL");
  if (GetParam() == Store::postgres && pooled != nullptr && std::string_view(pooled) == "1") {
    options.prepared_statements = false;
  }
  if (GetParam() == Store::postgres && migrate_url != nullptr && *migrate_url != '\0') {
    storage::DatabaseOptions session_options = options;
    session_options.url = with_database(migrate_url, pg_database_);
    session_options.prepared_statements = true;
    auto session_db = storage::open_database(loop_.io().get_executor(), session_options);
    run(storage::migrate(*session_db));
    session_db->close();
  }
  db_ = storage::open_database(loop_.io().get_executor(), options);
  run(storage::migrate(*db_));
  faulty_ = std::make_unique<storage::FaultInjectingDatabase>(*db_);
  services_ = std::make_unique<app::Services>(app::Ports{*faulty_, clock_, ids_, cache_aside()});
  run(app::seed_demo(services_->ports));
  for (const auto* p : {&sm1_, &sm2_, &admin_, &sa_, &service_}) run(svc().users.touch(*p));
}

void AppTest::TearDown() {
  services_.reset();
  faulty_.reset();
  if (db_) db_->close();
  db_.reset();
  if (!sqlite_path_.empty()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(sqlite_path_ + suffix, ec);
  }
  if (!pg_database_.empty()) {
    try {
      pg_admin_exec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

storage::Result AppTest::exec(const std::string& sql, storage::Params params) {
  auto work = [](storage::Database& db, std::string sql, storage::Params params) -> app::awaitable<storage::Result> {
    auto s = co_await db.begin(storage::Access::read_write);
    auto r = co_await s->query(sql, std::move(params));
    co_await s->commit();
    co_return r;
  };
  return run(work(*db_, sql, std::move(params)));
}

std::int64_t AppTest::count(const std::string& table) {
  return exec("SELECT COUNT(*) FROM " + table).rows.front().i64(0);
}

std::string AppTest::skill_id(const std::string& name) {
  auto r = exec("SELECT id FROM skills WHERE name = $1", {name});
  if (r.empty()) throw std::runtime_error("no demo skill " + name);
  return r.rows.front().str(0);
}

std::string AppTest::customer_id(const std::string& name) {
  auto r = exec("SELECT id FROM customers WHERE name = $1", {name});
  if (r.empty()) throw std::runtime_error("no demo customer " + name);
  return r.rows.front().str(0);
}

std::string AppTest::long_text() {
  return "## Context\n\nThe customer runs its core banking on a mainframe and wants to move the **payments** "
         "domain to managed Kubernetes on AWS within a year, keeping PostgreSQL as the system of record.";
}

app::CreateOpportunity AppTest::sample_input(const std::string& title) {
  app::CreateOpportunity in;
  in.title = title;
  in.description = "Move the payments platform of " + title + " to the cloud.";
  in.customer_id = customer_id("Northwind Bank");
  in.priority = domain::Priority::high;
  in.arr_cents = 12'500'000;
  in.currency = "USD";
  in.geographic_requirements = {"EMEA", false, true};
  return in;
}

domain::Opportunity AppTest::create(const domain::Principal& who, const std::string& title) {
  auto c = ctx(who);
  return run(svc().opportunities.create(c, sample_input(title), std::nullopt)).value;
}

domain::Opportunity AppTest::complete(const domain::Principal& who, const std::string& id) {
  auto c = ctx(who);
  run(svc().opportunities.put_problem_statement(c, id, long_text(), std::nullopt, std::nullopt));
  app::SkillRequirementInput req{skill_id("Kubernetes"), domain::Importance::must_have, domain::Proficiency::advanced};
  run(svc().opportunities.add_skill_requirement(c, id, req, std::nullopt, std::nullopt));
  domain::Timeline t;
  auto today = std::chrono::floor<std::chrono::days>(clock().now());
  t.expected_start_date = today + std::chrono::days(60);
  t.expected_end_date = today + std::chrono::days(150);
  t.is_flexible = true;
  return run(svc().opportunities.put_timeline(c, id, t, std::nullopt, std::nullopt));
}

}  // namespace oms::testing
