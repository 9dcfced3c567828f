#include "http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "storage/database.hpp"
#include "unit/http/response_header.hpp"

namespace oms::http {
namespace {

using oms::testing::find_header;

using domain::DomainError;
using domain::ErrorCode;

boost::json::object body(const Response& r) { return boost::json::parse(r.body).as_object(); }

TEST(Problem, OneStatusPerCode) {
  const std::vector<std::pair<ErrorCode, int>> expected{{ErrorCode::validation_error, 400},
                                                        {ErrorCode::unauthenticated, 401},
                                                        {ErrorCode::forbidden, 403},
                                                        {ErrorCode::not_found, 404},
                                                        {ErrorCode::method_not_allowed, 405},
                                                        {ErrorCode::invalid_transition, 409},
                                                        {ErrorCode::modification_not_allowed, 409},
                                                        {ErrorCode::reactivation_window_expired, 409},
                                                        {ErrorCode::duplicate, 409},
                                                        {ErrorCode::conflict, 409},
                                                        {ErrorCode::precondition_failed, 412},
                                                        {ErrorCode::precondition_required, 428},
                                                        {ErrorCode::payload_too_large, 413},
                                                        {ErrorCode::unsupported_media_type, 415},
                                                        {ErrorCode::submission_incomplete, 422},
                                                        {ErrorCode::rate_limited, 429},
                                                        {ErrorCode::internal, 500},
                                                        {ErrorCode::unavailable, 503}};
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(http_status(code), status) << domain::error_code_name(code);
    EXPECT_EQ(problem_response(code, "x", "r").status, status) << domain::error_code_name(code);
  }
}

TEST(Problem, ValidationErrorListsEveryField) {
  DomainError e(ErrorCode::validation_error, "The request has invalid fields.",
                {{"title", "must not be empty"}, {"geographic_requirements.region", "is required"}});
  Response r = problem_response(e, "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto b = body(r);
  EXPECT_EQ(b.at("type"), "https://oms.example/problems/validation-error");
  EXPECT_EQ(b.at("title"), "Validation error");
  EXPECT_EQ(b.at("status"), 400);
  EXPECT_EQ(b.at("detail"), "The request has invalid fields.");
  EXPECT_EQ(b.at("code"), "VALIDATION_ERROR");
  EXPECT_EQ(b.at("request_id"), "req-1");
  ASSERT_EQ(b.at("errors").as_array().size(), 2u);
  EXPECT_EQ(b.at("errors").as_array()[1].at("field"), "geographic_requirements.region");
  EXPECT_EQ(b.at("errors").as_array()[1].at("message"), "is required");
}

// Found by tests/fuzz/pipeline_fuzz: a detail quoting a request path with a byte such as \x9B
// produced a body that is not valid UTF-8, hence not JSON.
TEST(Problem, BodyStaysValidUtf8WhenTheDetailQuotesBadBytes) {
  DomainError e(ErrorCode::not_found, "No resource at /api/v1/\x9B.", {{"q\xFF", "bad \xC3"}});
  auto b = body(problem_response(e, "req-\xFE"));
  EXPECT_EQ(b.at("detail"), "No resource at /api/v1/\xEF\xBF\xBD.");
  EXPECT_EQ(b.at("request_id"), "req-\xEF\xBF\xBD");
  EXPECT_EQ(b.at("errors").as_array()[0].at("field"), "q\xEF\xBF\xBD");
  EXPECT_EQ(b.at("errors").as_array()[0].at("message"), "bad \xEF\xBF\xBD");
}

TEST(Problem, NoErrorsArrayWhenThereAreNone) {
  auto b = body(problem_response(ErrorCode::not_found, "No such opportunity.", "r"));
  EXPECT_FALSE(b.contains("errors"));
  EXPECT_EQ(b.at("status"), 404);
}

TEST(Problem, EveryCodeMapsToItsStatus) {
  const std::vector<std::pair<ErrorCode, int>> cases{{ErrorCode::unauthenticated, 401},
                                                     {ErrorCode::forbidden, 403},
                                                     {ErrorCode::method_not_allowed, 405},
                                                     {ErrorCode::invalid_transition, 409},
                                                     {ErrorCode::modification_not_allowed, 409},
                                                     {ErrorCode::reactivation_window_expired, 409},
                                                     {ErrorCode::duplicate, 409},
                                                     {ErrorCode::precondition_failed, 412},
                                                     {ErrorCode::payload_too_large, 413},
                                                     {ErrorCode::unsupported_media_type, 415},
                                                     {ErrorCode::submission_incomplete, 422},
                                                     {ErrorCode::rate_limited, 429},
                                                     {ErrorCode::internal, 500},
                                                     {ErrorCode::unavailable, 503}};
  for (auto [code, status] : cases) {
    Response r = problem_response(code, "d", "r");
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(body(r).at("status"), status);
    EXPECT_EQ(body(r).at("code").as_string(), domain::error_code_name(code));
  }
  EXPECT_EQ(problem_type(ErrorCode::reactivation_window_expired),
            "https://oms.example/problems/reactivation-window-expired");
}

TEST(Problem, UnauthenticatedAsksForABearerToken) {
  Response r = problem_response(ErrorCode::unauthenticated, "no token", "r");
  ASSERT_TRUE(find_header(r, "WWW-Authenticate"));
  EXPECT_TRUE(find_header(r, "WWW-Authenticate")->starts_with("Bearer"));
}

TEST(Problem, DatabaseFailureIsUnavailableWithoutDetails) {
  auto m =
      problem_from_exception(std::make_exception_ptr(storage::DatabaseError("connection to 10.0.0.5 refused")), "r");
  EXPECT_EQ(m.response.status, 503);
  EXPECT_EQ(body(m.response).at("code"), "UNAVAILABLE");
  EXPECT_EQ(m.response.body.find("10.0.0.5"), std::string::npos);
  EXPECT_NE(m.log_message.find("10.0.0.5"), std::string::npos);
}

TEST(Problem, AnythingElseIsInternalWithoutLeaking) {
  auto m = problem_from_exception(std::make_exception_ptr(std::runtime_error("secret stack detail")), "r9");
  EXPECT_EQ(m.response.status, 500);
  EXPECT_EQ(body(m.response).at("code"), "INTERNAL");
  EXPECT_EQ(body(m.response).at("request_id"), "r9");
  EXPECT_EQ(m.response.body.find("secret"), std::string::npos);
  EXPECT_EQ(m.log_message, "secret stack detail");
  auto odd = problem_from_exception(std::make_exception_ptr(42), "r");
  EXPECT_EQ(odd.response.status, 500);
}

TEST(Problem, DomainErrorsPassThroughAndAreNotLogged) {
  auto m = problem_from_exception(std::make_exception_ptr(DomainError(ErrorCode::precondition_failed, "stale")), "r");
  EXPECT_EQ(m.response.status, 412);
  EXPECT_TRUE(m.log_message.empty());
}

}  // namespace
}  // namespace oms::http
