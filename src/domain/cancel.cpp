#include "domain/cancel.hpp"

#include "domain/status.hpp"
#include "domain/validation.hpp"

namespace oms::domain {

void check_cancel(const Opportunity& o, const std::optional<std::string>& reason) {
  if (o.status == Status::completed || o.status == Status::cancelled) refuse_transition(o.status, "cancel");
  Validator v;
  check_reason(v, "reason", reason, true);
  v.throw_if_failed();
}

Timestamp reactivation_deadline(Timestamp cancelled_at) noexcept { return cancelled_at + k_reactivation_window; }

Status check_reactivate(const Opportunity& o, Timestamp now) {
  if (o.status != Status::cancelled) refuse_transition(o.status, "reactivate");
  if (!o.cancelled_at || !o.status_before_cancellation)
    throw DomainError(ErrorCode::internal, "The cancelled opportunity lacks its cancellation record.");
  if (now > reactivation_deadline(*o.cancelled_at))
    throw DomainError(ErrorCode::reactivation_window_expired,
                      "The opportunity was cancelled more than 90 days ago and can no longer be reactivated.");
  return *o.status_before_cancellation;
}

}  // namespace oms::domain
