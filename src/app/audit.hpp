#pragma once
// Use cases of the audit log (story: audit): admins query it and verify its hash chain.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

struct AuditQuery {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> actor_id;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
  PageRequest page;
};

struct AuditVerification {
  bool valid = true;
  std::int64_t entries_checked = 0;
  std::optional<std::int64_t> first_broken_seq;
  std::optional<std::string> problem;
};

class Audit {
 public:
  explicit Audit(Ports ports) : ports_(ports) {}
  awaitable<Page<domain::AuditEntry>> list(const Ctx&, const AuditQuery&);  // admin
  awaitable<AuditVerification> verify(const Ctx&);                          // admin

 private:
  Ports ports_;
};

}  // namespace oms::app
