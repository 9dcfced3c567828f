#pragma once
// Job handlers by type. A handler runs one job; it returns to succeed and throws to fail (the
// runner retries with backoff, then dead-letters). Handlers must be idempotent by the job's
// key: a job can run more than once (an expired lease, a crash before the success was recorded).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "storage/repositories/job_repository.hpp"

namespace oms::jobs {

template <class T>
using awaitable = boost::asio::awaitable<T>;

using JobHandler = std::function<awaitable<void>(const storage::JobRow&)>;

// Thrown by a handler when retrying cannot help (a payload it cannot read): the job goes DEAD now.
struct PermanentJobError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HandlerRegistry {
 public:
  void add(std::string type, JobHandler handler) { handlers_[std::move(type)] = std::move(handler); }
  const JobHandler* find(const std::string& type) const {
    auto it = handlers_.find(type);
    return it == handlers_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, JobHandler> handlers_;
};

}  // namespace oms::jobs
