#include "domain/modify.hpp"

#include "domain/validation.hpp"

namespace oms::domain {

ModificationMode modification_mode(Status s) noexcept {
  switch (s) {
    case Status::draft:
      return ModificationMode::free;
    case Status::submitted:
    case Status::matching_in_progress:
    case Status::matches_found:
      return ModificationMode::with_reason;
    case Status::architect_selected:
    case Status::completed:
    case Status::cancelled:
      return ModificationMode::forbidden;
  }
  return ModificationMode::forbidden;
}

bool check_modification(Status s, const std::optional<std::string>& reason) {
  switch (modification_mode(s)) {
    case ModificationMode::free:
      return false;  // a reason given in DRAFT is simply not recorded
    case ModificationMode::with_reason: {
      Validator v;
      check_reason(v, "reason", reason, true);
      v.throw_if_failed();
      return true;
    }
    case ModificationMode::forbidden:
      break;
  }
  const std::string hint = s == Status::cancelled ? " Reactivate it first." : "";
  throw DomainError(ErrorCode::modification_not_allowed,
                    "An opportunity in status " + std::string(to_string(s)) + " cannot be changed." + hint);
}

}  // namespace oms::domain
