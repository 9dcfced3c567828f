#pragma once
// The one error type of the service. Every layer throws DomainError; src/http/problem.cpp maps
// its code to an HTTP status and a problem+json body, in one place (the statuses noted below
// are that map's, for the reader; the domain knows nothing of HTTP).
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace oms::domain {

enum class ErrorCode {
  validation_error,             // 400 VALIDATION_ERROR
  unauthenticated,              // 401 UNAUTHENTICATED
  forbidden,                    // 403 FORBIDDEN
  not_found,                    // 404 NOT_FOUND
  method_not_allowed,           // 405 METHOD_NOT_ALLOWED
  invalid_transition,           // 409 INVALID_TRANSITION
  modification_not_allowed,     // 409 MODIFICATION_NOT_ALLOWED
  reactivation_window_expired,  // 409 REACTIVATION_WINDOW_EXPIRED
  duplicate,                    // 409 DUPLICATE
  conflict,                     // 409 CONFLICT (e.g. idempotency key reused with another body)
  precondition_failed,          // 412 PRECONDITION_FAILED
  precondition_required,        // 428 PRECONDITION_REQUIRED (reserved)
  payload_too_large,            // 413 PAYLOAD_TOO_LARGE
  unsupported_media_type,       // 415 UNSUPPORTED_MEDIA_TYPE
  submission_incomplete,        // 422 SUBMISSION_INCOMPLETE
  rate_limited,                 // 429 RATE_LIMITED
  internal,                     // 500 INTERNAL
  unavailable,                  // 503 UNAVAILABLE
  request_timeout,              // 408 REQUEST_TIMEOUT (header or body too slow)
  overloaded,                   // 503 OVERLOADED (no database connection in time, connection cap)
  client_closed,                // 499 CLIENT_CLOSED (the client left before a write began; never seen)
};

struct FieldError {
  std::string field;    // JSON path of the offending field, e.g. "geographic_requirements.region"
  std::string message;  // human readable, precise
  bool operator==(const FieldError&) const = default;
};

class DomainError : public std::runtime_error {
 public:
  DomainError(ErrorCode code, std::string detail, std::vector<FieldError> errors = {})
      : std::runtime_error(detail), code_(code), detail_(std::move(detail)), errors_(std::move(errors)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<FieldError>& errors() const noexcept { return errors_; }
  // The cause behind a coarse detail (an unreachable object store, say): written to the log with
  // the request id, never sent to the client.
  const std::string& log_detail() const noexcept { return log_detail_; }
  DomainError& with_log_detail(std::string cause) {
    log_detail_ = std::move(cause);
    return *this;
  }

 private:
  ErrorCode code_;
  std::string detail_;
  std::vector<FieldError> errors_;
  std::string log_detail_;
};

// Stable wire name of a code ("VALIDATION_ERROR", ...).
std::string_view error_code_name(ErrorCode code) noexcept;

// Collects every validation problem before failing, so a client sees all of them at once.
class Validator {
 public:
  void add(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
  bool ok() const noexcept { return errors_.empty(); }
  const std::vector<FieldError>& errors() const noexcept { return errors_; }
  // Throws DomainError(code) listing every collected problem, if any.
  void throw_if_failed(ErrorCode code = ErrorCode::validation_error,
                       std::string_view detail = "The request has invalid fields.") const;

 private:
  std::vector<FieldError> errors_;
};

}  // namespace oms::domain
