#pragma once
// Admin reads of personal data are audited (domain.md, "Audit and personal data") without a
// write on the read path: a read queues its entry here (a mutex and a push), and one coroutine
// appends every queued entry to the hash chain in one transaction once a second, or as soon as
// `max_batch` are waiting, and once more on stop(). A crash loses at most the last interval's
// entries (docs/data-protection.md). A single read is one entry about its entity; a list read is
// one entry (entity_id "", after {"ids": [...]}) whose ids go to audit_read_index, so the audit
// query by entity_id finds both: appending hash-chained rows is what reads cost at saturation.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

struct ReadAuditOptions {
  std::chrono::milliseconds interval{1000};
  std::size_t max_batch = 256;
};

class ReadAuditLog {
 public:
  ReadAuditLog(boost::asio::any_io_executor executor, Ports ports, ReadAuditOptions options = {});
  // Queues "<entity_type>.read" of one entity by the context's actor under its request id.
  void record(const Ctx& ctx, std::string entity_type, std::string entity_id);
  // Queues one "<entity_type>.read" of the entities a list showed (none: nothing).
  void record_list(const Ctx& ctx, std::string entity_type, std::vector<std::string> entity_ids);
  void start();
  // Stops the timer and writes what is still queued.
  awaitable<void> stop();
  // Writes every queued entry now (one transaction); how many.
  awaitable<std::size_t> flush();
  std::uint64_t written() const;

 private:
  struct Pending {
    std::string actor_id;
    std::string request_id;
    std::string entity_type;
    std::string entity_id;
    domain::Timestamp at{};
    std::vector<std::string> listed;  // a list read: the ids it showed (entity_id is then "")
  };
  void push(Pending p);
  awaitable<void> run();
  awaitable<std::size_t> flush_some();
  static constexpr std::size_t k_max_rows_per_transaction = 5000;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  Ports ports_;
  ReadAuditOptions options_;
  mutable std::mutex mutex_;
  std::vector<Pending> queue_;
  std::uint64_t written_ = 0;  // entries appended
  bool stopping_ = false;
};

// Queues the read of one entity holding personal data when the actor is an admin and read
// auditing is on (Ports::read_audit).
void audit_personal_read(const Ports& ports, const Ctx& ctx, std::string entity_type, std::string entity_id);
// The same for a list: one entry naming every id shown.
void audit_personal_list_read(const Ports& ports, const Ctx& ctx, std::string entity_type,
                              std::vector<std::string> entity_ids);

}  // namespace oms::app
