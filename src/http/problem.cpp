#include "http/problem.hpp"

#include <boost/json.hpp>

#include "storage/database.hpp"
#include "util/utf8.hpp"

namespace oms::http {

using domain::ErrorCode;

int http_status(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::validation_error:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::method_not_allowed:
      return 405;
    case ErrorCode::invalid_transition:
    case ErrorCode::modification_not_allowed:
    case ErrorCode::reactivation_window_expired:
    case ErrorCode::duplicate:
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::precondition_failed:
      return 412;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media_type:
      return 415;
    case ErrorCode::submission_incomplete:
      return 422;
    case ErrorCode::precondition_required:
      return 428;
    case ErrorCode::request_timeout:
      return 408;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::client_closed:
      return 499;  // nginx's convention; only ever logged, the client is gone
    case ErrorCode::internal:
      return 500;
    case ErrorCode::unavailable:
    case ErrorCode::overloaded:
      return 503;
  }
  return 500;
}

std::string problem_type(ErrorCode code) {
  std::string slug;
  for (char ch : domain::error_code_name(code)) slug += ch == '_' ? '-' : static_cast<char>(std::tolower(ch));
  return "https://oms.example/problems/" + slug;
}

std::string problem_title(ErrorCode code) {
  std::string title;
  for (char ch : domain::error_code_name(code))
    title += ch == '_' ? ' ' : (title.empty() ? ch : static_cast<char>(std::tolower(ch)));
  return title;
}

Response problem_response(ErrorCode code, std::string_view detail, std::string_view request_id,
                          const std::vector<domain::FieldError>& errors) {
  boost::json::object body;
  body["type"] = problem_type(code);
  body["title"] = problem_title(code);
  body["status"] = http_status(code);
  // Details may quote the client's input (a path, a header); the body must stay valid UTF-8
  // (found by tests/fuzz/pipeline_fuzz: "No resource at /\x9b" made invalid JSON).
  body["detail"] = util::to_valid_utf8(detail);
  body["code"] = domain::error_code_name(code);
  body["request_id"] = util::to_valid_utf8(request_id);
  if (!errors.empty()) {
    boost::json::array list;
    for (const auto& e : errors)
      list.push_back(
          boost::json::object{{"field", util::to_valid_utf8(e.field)}, {"message", util::to_valid_utf8(e.message)}});
    body["errors"] = std::move(list);
  }
  Response r;
  r.status = http_status(code);
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(body);
  if (code == ErrorCode::unauthenticated) r.header("WWW-Authenticate", "Bearer realm=\"oms\"");
  if (code == ErrorCode::unavailable || code == ErrorCode::overloaded) r.header("Retry-After", "1");
  return r;
}

Response problem_response(const domain::DomainError& error, std::string_view request_id) {
  return problem_response(error.code(), error.detail(), request_id, error.errors());
}

MappedException problem_from_exception(std::exception_ptr e, std::string_view request_id) {
  try {
    std::rethrow_exception(e);
  } catch (const domain::DomainError& err) {
    MappedException out{problem_response(err, request_id), {}};
    if (err.code() == ErrorCode::internal || err.code() == ErrorCode::unavailable) {
      out.log_message = err.detail();
      if (!err.log_detail().empty()) out.log_message += " (" + err.log_detail() + ")";
    }
    return out;
  } catch (const storage::PoolTimeout& err) {
    // Every connection stayed busy for the pool wait deadline: shed load, the client retries.
    return {problem_response(ErrorCode::overloaded, "The service is busy; try again shortly.", request_id), err.what()};
  } catch (const storage::UniqueViolation& err) {
    // The application should have named the duplicate; this is the safety net.
    return {problem_response(ErrorCode::duplicate, "The resource already exists.", request_id), err.what()};
  } catch (const storage::DatabaseError& err) {
    return {problem_response(ErrorCode::unavailable, "The database is unavailable; try again shortly.", request_id),
            err.what()};
  } catch (const std::exception& err) {
    return {problem_response(ErrorCode::internal, "An internal error occurred.", request_id), err.what()};
  } catch (...) {
    return {problem_response(ErrorCode::internal, "An internal error occurred.", request_id), "unknown exception"};
  }
}

}  // namespace oms::http
