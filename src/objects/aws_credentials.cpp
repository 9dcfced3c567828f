#include "objects/aws_credentials.hpp"

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "objects/store_errors.hpp"
#include "util/http_client.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

constexpr auto k_refresh_margin = std::chrono::minutes(5);
constexpr std::string_view k_ecs_host = "http://169.254.170.2";

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The SDKs accept a full URI over plain HTTP only on loopback or the ECS/EKS link-local hosts.
bool allowed_full_uri(const util::HttpUrl& url) {
  if (url.tls) return true;
  return url.host == "127.0.0.1" || url.host == "::1" || url.host == "localhost" || url.host == "169.254.170.2" ||
         url.host == "169.254.170.23" || url.host == "fd00:ec2::23";
}

}  // namespace

ContainerCredentials parse_container_credentials(std::string_view json) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) throw std::runtime_error("the container credentials are not a JSON object");
  const auto& o = value.as_object();
  auto text = [&o](const char* name) -> std::string {
    const auto* v = o.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  ContainerCredentials out;
  out.keys.access_key_id = text("AccessKeyId");
  out.keys.secret_access_key = text("SecretAccessKey");
  out.keys.session_token = text("Token");
  if (out.keys.access_key_id.empty() || out.keys.secret_access_key.empty())
    throw std::runtime_error("the container credentials lack AccessKeyId or SecretAccessKey");
  if (const std::string expiration = text("Expiration"); !expiration.empty()) {
    out.expires_at = util::parse_timestamp(expiration);
    if (!out.expires_at) throw std::runtime_error("the container credentials' Expiration is not a timestamp");
  }
  return out;
}

std::optional<sigv4::Credentials> parse_credentials_file(std::string_view text, std::string_view profile) {
  sigv4::Credentials out;
  bool in_section = false;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      in_section = trim(std::string_view(t).substr(1, t.size() - 2)) == profile;
      continue;
    }
    const std::size_t eq = t.find('=');
    if (!in_section || eq == std::string::npos) continue;
    const std::string key = trim(std::string_view(t).substr(0, eq));
    const std::string value = trim(std::string_view(t).substr(eq + 1));
    if (key == "aws_access_key_id") out.access_key_id = value;
    if (key == "aws_secret_access_key") out.secret_access_key = value;
    if (key == "aws_session_token") out.session_token = value;
  }
  if (out.access_key_id.empty() || out.secret_access_key.empty()) return std::nullopt;
  return out;
}

boost::asio::awaitable<std::optional<ContainerCredentials>> CredentialsProvider::from_container() {
  std::string uri;
  if (auto relative = env_("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    uri = std::string(k_ecs_host) + *relative;
  } else if (auto full = env_("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    uri = *full;
  } else {
    co_return std::nullopt;
  }
  const auto url = util::parse_http_url(uri);
  if (!url || !allowed_full_uri(*url))
    throw std::runtime_error("the container credentials URI is not an allowed http(s) URL: " + uri);
  util::HttpRequest request;
  request.timeout = std::chrono::seconds(5);
  std::optional<std::string> token = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (auto file = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    token = read_text_file(*file);
    if (!token) throw std::runtime_error("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *file);
    *token = trim(*token);
  }
  if (token) request.headers.emplace_back("Authorization", *token);
  const util::HttpReply reply = co_await util::http_request(executor_, *url, std::move(request));
  if (reply.status != 200)
    throw std::runtime_error("the container credentials endpoint answered " + std::to_string(reply.status));
  co_return parse_container_credentials(reply.body);
}

boost::asio::awaitable<sigv4::Credentials> CredentialsProvider::get() {
  auto id = env_("AWS_ACCESS_KEY_ID");
  auto secret = env_("AWS_SECRET_ACCESS_KEY");
  if (id && secret && !id->empty() && !secret->empty())
    co_return sigv4::Credentials{*id, *secret, env_("AWS_SESSION_TOKEN").value_or("")};

  std::filesystem::path file;
  if (auto f = env_("AWS_SHARED_CREDENTIALS_FILE")) {
    file = *f;
  } else if (auto home = env_("HOME")) {
    file = std::filesystem::path(*home) / ".aws" / "credentials";
  }
  if (!file.empty()) {
    if (auto text = read_text_file(file)) {
      const std::string profile = env_("AWS_PROFILE").value_or("default");
      if (auto keys = parse_credentials_file(*text, profile)) co_return *keys;
    }
  }

  const auto now = clock_.now();
  {
    std::lock_guard lock(mutex_);
    if (cached_ && (!cached_->expires_at || now + k_refresh_margin < *cached_->expires_at)) co_return cached_->keys;
  }
  // A failure here fails the request with 503 (the endpoint may be back on the next try); the
  // cause goes to the log.
  std::optional<ContainerCredentials> fresh;
  try {
    fresh = co_await from_container();
  } catch (const std::exception& e) {
    throw store_unavailable(std::string("AWS credentials: ") + e.what());
  }
  if (!fresh)
    throw store_unavailable(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in the shared credentials "
        "file, or run with the ECS container credentials endpoint");
  sigv4::Credentials keys = fresh->keys;
  {
    std::lock_guard lock(mutex_);
    cached_ = std::move(*fresh);
  }
  co_return keys;
}

}  // namespace oms::objects
