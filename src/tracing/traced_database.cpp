#include "tracing/traced_database.hpp"

#include <boost/json.hpp>

#include "tracing/context.hpp"

namespace oms::tracing {
namespace {

constexpr std::size_t k_max_query_text = 2000;

class TracedSession final : public storage::Session {
 public:
  TracedSession(std::unique_ptr<storage::Session> inner, Span span) : inner_(std::move(inner)), span_(span) {}
  ~TracedSession() override { span_.end(); }

  storage::awaitable<storage::Result> query(std::string_view sql, storage::Params params) override {
    Span q = span_.start_child("query");
    boost::json::object fields;
    fields["sanitized_query"] = sql.substr(0, k_max_query_text);
    fields["preparation"] = params.empty() ? "call" : "statement";
    q.set("sql", std::move(fields));
    try {
      storage::Result result = co_await inner_->query(sql, std::move(params));
      q.end();
      co_return result;
    } catch (const storage::UniqueViolation&) {
      q.mark_error();  // a duplicate is the caller's conflict, not a fault
      q.end();
      throw;
    } catch (const std::exception& e) {
      q.record_exception(e.what());
      q.end();
      span_.mark_fault();
      throw;
    }
  }
  storage::awaitable<storage::Result> query_planned_for_values(std::string_view sql, storage::Params params) override {
    Span q = span_.start_child("query");
    boost::json::object fields;
    fields["sanitized_query"] = sql.substr(0, k_max_query_text);
    fields["preparation"] = "statement";
    q.set("sql", std::move(fields));
    try {
      storage::Result result = co_await inner_->query_planned_for_values(sql, std::move(params));
      q.end();
      co_return result;
    } catch (const std::exception& e) {
      q.record_exception(e.what());
      q.end();
      span_.mark_fault();
      throw;
    }
  }
  storage::awaitable<void> commit() override {
    co_await inner_->commit();
    span_.annotate("outcome", "commit");
    span_.end();
  }
  storage::awaitable<void> rollback() override {
    co_await inner_->rollback();
    span_.annotate("outcome", "rollback");
    span_.end();
  }
  storage::Dialect dialect() const noexcept override { return inner_->dialect(); }

 private:
  std::unique_ptr<storage::Session> inner_;
  Span span_;
};

}  // namespace

std::string sanitized_database_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url.substr(0, url.find('?')));
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find('?'));
  const auto slash = rest.find('/');
  const auto at = rest.substr(0, slash).rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return std::string(url.substr(0, scheme + 3)) + std::string(rest);
}

TracedDatabase::TracedDatabase(storage::Database& inner, std::string url)
    : inner_(inner),
      name_(inner.dialect() == storage::Dialect::postgres ? "PostgreSQL" : "SQLite"),
      url_(sanitized_database_url(url)) {}

storage::awaitable<std::unique_ptr<storage::Session>> TracedDatabase::begin(storage::Access access) {
  Span parent = co_await current_span();
  if (!parent) co_return co_await inner_.begin(access);
  Span span = parent.start_child(name_);
  span.set_namespace("remote");
  boost::json::object sql;
  sql["database_type"] = name_;
  sql["url"] = url_;
  span.set("sql", std::move(sql));
  span.annotate("access", access == storage::Access::read_write ? "read_write" : "read_only");
  try {
    std::unique_ptr<storage::Session> inner = co_await inner_.begin(access);
    co_return std::make_unique<TracedSession>(std::move(inner), span);
  } catch (const std::exception& e) {
    span.record_exception(e.what());
    span.end();
    throw;
  }
}

}  // namespace oms::tracing
