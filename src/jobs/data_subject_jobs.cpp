// The worker's handler of data-subject requests (app/data_subjects.hpp): access and erasure.
#include <boost/json.hpp>

#include "jobs/worker.hpp"
#include "logging/logging.hpp"

namespace oms::jobs {

void Worker::add_data_subject_jobs(app::Ports ports) {
  data_subjects_ = std::make_unique<app::DataSubjects>(ports, options_.exports);
  app::DataSubjects* subjects = data_subjects_.get();
  handlers_.add(app::k_data_subject_job_type, [subjects](const storage::JobRow& job) -> awaitable<void> {
    std::string id;
    std::string request_id;
    try {
      const auto payload = boost::json::parse(job.payload).as_object();
      id = std::string(payload.at("export_id").as_string());
      request_id = std::string(payload.at("request_id").as_string());
    } catch (const std::exception&) {
      throw PermanentJobError("a data-subject job without export_id and request_id");
    }
    co_await subjects->run(id, request_id, job.attempts >= job.max_attempts);
    logging::log_info("data-subject request " + id + " done");
  });
}

}  // namespace oms::jobs
