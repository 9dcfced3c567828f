// The body of GET /api/v1/opportunities/{id}: one opportunity with every part, encoded through
// the public function the handler calls (so the benchmark survives changes of the encoder).
#include <benchmark/benchmark.h>

#include "domain/entities.hpp"
#include "http/handlers/representations.hpp"
#include "util/time.hpp"

namespace {

using namespace oms;

domain::Opportunity sample() {
  const domain::Timestamp at = *util::parse_timestamp("2026-11-29T13:14:00.123456Z");
  domain::Opportunity o;
  o.id = "58ee227d-3882-4959-b5d5-24455d08fb46";
  o.title = "Opportunity 5000 data lake";
  o.description =
      "Project code PRJ-0005000: platform for a customer. The customer runs a mixed estate of "
      "on-premises and cloud workloads and wants a reviewed target architecture.";
  o.customer_id = "10b1569f-a56f-4c91-9967-3302614ed9c7";
  o.sales_manager_id = "sm-1";
  o.priority = domain::Priority::high;
  o.annual_recurring_revenue = {100000, "USD"};
  o.geographic_requirements = {"EMEA", false, true};
  o.status = domain::Status::submitted;
  o.created_at = o.updated_at = at;
  o.submitted_at = at;
  o.version = 3;
  o.problem_statement = domain::ProblemStatement{std::string(600, 'x'), at};
  for (int i = 0; i < 3; ++i) {
    domain::SkillRequirement r;
    r.id = "1605f8f6-3722-4b66-a735-42ceb73f901" + std::to_string(i);
    r.skill_id = "2605f8f6-3722-4b66-a735-42ceb73f901" + std::to_string(i);
    r.skill_name = "Kubernetes";
    r.skill_type = domain::SkillCategory::technical;
    r.importance = domain::Importance::must_have;
    r.minimum_proficiency = domain::Proficiency::advanced;
    r.created_at = at;
    o.skill_requirements.push_back(r);
  }
  o.timeline = domain::Timeline{*util::parse_date("2027-01-04"), *util::parse_date("2027-02-04"), {}, true};
  return o;
}

void opportunity_json(benchmark::State& state) {
  const domain::Opportunity o = sample();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = http::handlers::to_json(o);
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(opportunity_json);

}  // namespace
