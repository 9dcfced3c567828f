#pragma once
// Admin reads of personal data are audited (domain.md, "Audit and personal data") without a
// write on the read path: a read queues its entry here (a mutex and a push), and one coroutine
// appends every queued entry to the hash chain in one transaction once a second, or as soon as
// `max_batch` are waiting, and once more on stop(). A crash loses at most the last interval's
// entries (docs/data-protection.md). A flush writes one chained entry per admin and entity type:
// after = {"ids": [every id shown], "reads": [{"at", "request_id", "shown": [positions in ids]}]}
// (entity_id is the id when there is one, request_id the request when there is one read), and
// one audit_read_index row per id, so the audit query by entity_id finds every read of an entity.
// Reads at saturation cost a queue push and a share of one row per second, not a row each.
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
  std::size_t max_batch = 2048;
};

class ReadAuditLog {
 public:
  ReadAuditLog(boost::asio::any_io_executor executor, Ports ports, ReadAuditOptions options = {});
  // Queues the read of one entity by the context's actor under its request id.
  void record(const Ctx& ctx, std::string entity_type, std::string entity_id);
  // Queues the read of the entities a list showed (none: nothing).
  void record_list(const Ctx& ctx, std::string entity_type, std::vector<std::string> entity_ids);
  void start();
  // Stops the timer and writes what is still queued.
  awaitable<void> stop();
  // Writes every queued read now (one transaction per k_max_reads_per_transaction); how many reads.
  awaitable<std::size_t> flush();
  // Reads appended (each list or single read counts one).
  std::uint64_t written() const;

  struct Pending {
    std::string actor_id;
    std::string request_id;
    std::string entity_type;
    domain::Timestamp at{};
    std::vector<std::string> shown;  // one id, or the ids a list showed
  };

 private:
  void push(Pending p);
  awaitable<void> run();
  awaitable<std::size_t> flush_some();
  static constexpr std::size_t k_max_reads_per_transaction = 5000;
  static constexpr std::size_t k_reads_per_entry = 256;  // bounds an entry's size

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  Ports ports_;
  ReadAuditOptions options_;
  mutable std::mutex mutex_;
  std::vector<Pending> queue_;
  std::uint64_t written_ = 0;  // reads appended
  bool stopping_ = false;
};

// Queues the read of one entity holding personal data when the actor is an admin and read
// auditing is on (Ports::read_audit).
void audit_personal_read(const Ports& ports, const Ctx& ctx, std::string entity_type, std::string entity_id);
// The same for the entities a list showed.
void audit_personal_list_read(const Ports& ports, const Ctx& ctx, std::string entity_type,
                              std::vector<std::string> entity_ids);

}  // namespace oms::app
