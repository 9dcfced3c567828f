#include "support/fault_injection.hpp"

namespace oms::storage {

// Counts the queries of read-write sessions and fails the one the test asked for.
class FaultInjectingSession final : public Session {
 public:
  FaultInjectingSession(FaultInjectingDatabase& db, std::unique_ptr<Session> inner, Access access)
      : db_(db), inner_(std::move(inner)), access_(access) {}

  awaitable<Result> query(std::string_view sql, Params params) override {
    if (access_ == Access::read_write) {
      ++db_.seen_;
      int left = db_.countdown_.load();
      // Decrement only while armed; the query that brings it to zero fails.
      while (left > 0 && !db_.countdown_.compare_exchange_weak(left, left - 1)) {
      }
      if (left == 1) throw DatabaseError("injected fault");
    }
    co_return co_await inner_->query(sql, std::move(params));
  }
  awaitable<void> commit() override { co_await inner_->commit(); }
  awaitable<void> rollback() override { co_await inner_->rollback(); }
  Dialect dialect() const noexcept override { return inner_->dialect(); }

 private:
  FaultInjectingDatabase& db_;
  std::unique_ptr<Session> inner_;
  Access access_;
};

awaitable<std::unique_ptr<Session>> FaultInjectingDatabase::begin(Access access) {
  std::unique_ptr<Session> inner = co_await inner_.begin(access);
  co_return std::make_unique<FaultInjectingSession>(*this, std::move(inner), access);
}

}  // namespace oms::storage
