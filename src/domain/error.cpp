#include "domain/error.hpp"

namespace oms::domain {

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::validation_error:
      return "VALIDATION_ERROR";
    case ErrorCode::unauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::forbidden:
      return "FORBIDDEN";
    case ErrorCode::not_found:
      return "NOT_FOUND";
    case ErrorCode::method_not_allowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::invalid_transition:
      return "INVALID_TRANSITION";
    case ErrorCode::modification_not_allowed:
      return "MODIFICATION_NOT_ALLOWED";
    case ErrorCode::reactivation_window_expired:
      return "REACTIVATION_WINDOW_EXPIRED";
    case ErrorCode::duplicate:
      return "DUPLICATE";
    case ErrorCode::conflict:
      return "CONFLICT";
    case ErrorCode::precondition_failed:
      return "PRECONDITION_FAILED";
    case ErrorCode::precondition_required:
      return "PRECONDITION_REQUIRED";
    case ErrorCode::payload_too_large:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::unsupported_media_type:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::submission_incomplete:
      return "SUBMISSION_INCOMPLETE";
    case ErrorCode::rate_limited:
      return "RATE_LIMITED";
    case ErrorCode::internal:
      return "INTERNAL";
    case ErrorCode::unavailable:
      return "UNAVAILABLE";
    case ErrorCode::request_timeout:
      return "REQUEST_TIMEOUT";
    case ErrorCode::overloaded:
      return "OVERLOADED";
    case ErrorCode::client_closed:
      return "CLIENT_CLOSED";
  }
  return "INTERNAL";
}

void Validator::throw_if_failed(ErrorCode code, std::string_view detail) const {
  if (!ok()) throw DomainError(code, std::string(detail), errors_);
}

}  // namespace oms::domain
