#pragma once
// Errors as RFC 9457 application/problem+json. The one place that turns an exception into an
// HTTP status: DomainError by its code; storage failures as 503 UNAVAILABLE; anything else as
// 500 INTERNAL without leaking what went wrong (that goes to the error log instead).
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace oms::http {

// The HTTP status of a code (400, 401, ...): the one error -> HTTP map.
int http_status(domain::ErrorCode code) noexcept;
// "https://oms.example/problems/validation-error"
std::string problem_type(domain::ErrorCode code);
// "Validation error"
std::string problem_title(domain::ErrorCode code);

Response problem_response(domain::ErrorCode code, std::string_view detail, std::string_view request_id,
                          const std::vector<domain::FieldError>& errors = {});
Response problem_response(const domain::DomainError& error, std::string_view request_id);

struct MappedException {
  Response response;
  std::string log_message;  // non-empty when the failure should go to the error log
};
// Maps the exception `e` points to (call from a catch block or with std::current_exception()).
MappedException problem_from_exception(std::exception_ptr e, std::string_view request_id);

}  // namespace oms::http
