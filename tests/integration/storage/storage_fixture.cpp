#include "storage_fixture.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace oms::storage::testing {

using namespace std::chrono;

std::string unique_name(std::string_view prefix) {
  static std::atomic<int> counter{0};
  std::string name(prefix);
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += "_";
    name += info->test_suite_name();
    name += "_";
    name += info->name();
  }
  std::string clean;
  for (char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  if (clean.size() > 40) clean.resize(40);
  return clean + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

std::string postgres_url_or_fail() {
  const char* url = std::getenv("OMS_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "OMS_TEST_POSTGRES_URL is not set: the PostgreSQL cases need a server "
                     "(scripts/pg.sh start DIR PORT prints a URL; scripts/test.sh sets it)";
    return {};
  }
  return url;
}

bool postgres_pooled() {
  const char* pooled = std::getenv("OMS_TEST_POSTGRES_POOLED");
  return pooled != nullptr && std::string_view(pooled) == "1";
}

std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const auto query = url.find('?');
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + rest;
}

std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

domain::Timestamp make_timestamp(int y, unsigned m, unsigned d, int hh, int mm, int ss, int micros) {
  const sys_days date = year{y} / month{m} / std::chrono::day{d};
  return domain::Timestamp(time_point_cast<microseconds>(date) + hours{hh} + minutes{mm} + seconds{ss} +
                           microseconds{micros});
}

IoThreads::IoThreads() : guard_(io_.get_executor()) {
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

IoThreads::~IoThreads() {
  guard_.reset();
  for (auto& t : threads_) t.join();
}

namespace {

boost::asio::awaitable<void> run_admin(Database& db, std::string sql) {
  auto session = co_await db.begin(Access::read_write);
  co_await session->query(sql);
  co_await session->commit();
}

void admin(IoThreads& io, const std::string& url, const std::string& sql) {
  DatabaseOptions options;
  options.url = url;
  options.pool_size = 1;
  auto db = open_database(io.io().get_executor(), options);
  auto make = [&]() { return run_admin(*db, sql); };
  io.run(make);
  db->close();
}

}  // namespace

void postgres_admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  const std::string message = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + message);
}

void StorageTest::SetUp() {
  if (postgres()) {
    admin_url_ = postgres_url_or_fail();
    if (admin_url_.empty()) GTEST_FAIL() << "no PostgreSQL server to test against";
    if (postgres_pooled()) {
      database_ = unique_name("t");
      postgres_admin(admin_url_, "CREATE DATABASE " + database_);
      url_ = with_database(admin_url_, database_);
      return;
    }
    schema_ = unique_name("t");
    admin(io_, admin_url_, "CREATE SCHEMA " + schema_);
    url_ = with_search_path(admin_url_, schema_);
  } else {
    const char* dir = std::getenv("OMS_TEST_TMPDIR");
    std::filesystem::path base = dir && *dir ? dir : std::filesystem::temp_directory_path() / "oms-test-tmp";
    base = std::filesystem::absolute(base);
    std::filesystem::create_directories(base);
    file_ = (base / (unique_name("t") + ".db")).string();
    url_ = "sqlite://" + file_;
  }
}

void StorageTest::TearDown() {
  if (!schema_.empty()) {
    admin(io_, admin_url_, "DROP SCHEMA " + schema_ + " CASCADE");
  }
  if (!database_.empty()) {
    postgres_admin(admin_url_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  }
  if (!file_.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file_ + suffix);
  }
}

std::unique_ptr<Database> StorageTest::open(DatabaseOptions options) {
  options.url = url_;
  // Named statements do not survive a transaction behind PgBouncer's transaction pooling.
  if (postgres() && postgres_pooled()) options.prepared_statements = false;
  return open_database(io_.io().get_executor(), options);
}

std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace oms::storage::testing
