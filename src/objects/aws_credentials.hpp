#pragma once
// AWS credentials, found the way the AWS SDKs' default chain finds them: the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, section AWS_PROFILE or "default"), then the
// ECS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on 169.254.170.2, or
// AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]). Temporary
// credentials are cached and fetched again five minutes before they expire.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "objects/sigv4.hpp"

namespace oms::objects {

using EnvLookup = std::function<std::optional<std::string>(const char*)>;

struct ContainerCredentials {
  sigv4::Credentials keys;
  std::optional<domain::Timestamp> expires_at;
};

// The ECS endpoint's JSON ({AccessKeyId, SecretAccessKey, Token, Expiration}); throws
// std::runtime_error on anything else.
ContainerCredentials parse_container_credentials(std::string_view json);

// The section `profile` of a shared credentials file's text; nullopt when it has no keys there.
std::optional<sigv4::Credentials> parse_credentials_file(std::string_view text, std::string_view profile);

class CredentialsProvider {
 public:
  CredentialsProvider(boost::asio::any_io_executor executor, EnvLookup env, const domain::Clock& clock)
      : executor_(std::move(executor)), env_(std::move(env)), clock_(clock) {}
  // Throws domain::DomainError UNAVAILABLE (objects/store_errors.hpp) when no source has credentials
  // or the container endpoint fails; its log detail names the cause.
  boost::asio::awaitable<sigv4::Credentials> get();

 private:
  boost::asio::awaitable<std::optional<ContainerCredentials>> from_container();

  boost::asio::any_io_executor executor_;
  EnvLookup env_;
  const domain::Clock& clock_;
  std::mutex mutex_;  // guards cached_ (never held across a suspension)
  std::optional<ContainerCredentials> cached_;
};

}  // namespace oms::objects
