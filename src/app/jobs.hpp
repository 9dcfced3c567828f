#pragma once
// Admin use cases of the job queue: list and inspect jobs, and put a dead job back in the queue.
#include <optional>
#include <string>

#include "app/context.hpp"
#include "storage/repositories/job_repository.hpp"

namespace oms::app {

using Job = storage::JobRow;

struct JobQuery {
  std::optional<std::string> state;  // QUEUED | RUNNING | SUCCEEDED | DEAD, validated by the caller
  std::optional<std::string> type;
  PageRequest page;
};

class Jobs {
 public:
  explicit Jobs(Ports ports) : ports_(ports) {}
  awaitable<Page<Job>> list(const Ctx&, const JobQuery&);   // admin; newest first
  awaitable<Job> get(const Ctx&, const std::string& id);    // admin; NOT_FOUND
  awaitable<Job> retry(const Ctx&, const std::string& id);  // admin; DEAD -> QUEUED, else CONFLICT

 private:
  Ports ports_;
};

}  // namespace oms::app
