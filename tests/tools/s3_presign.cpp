// Test tool: prints oms's pre-signed S3 URLs for JSON-lines requests on stdin, one URL per line,
// so that tests/api/test_sigv4_boto3.py can compare them with botocore's byte for byte.
//   {"method": "PUT"|"GET", "store_url": "s3://bucket[/prefix][?region=..&endpoint=..]",
//    "key": "...", "access_key": "...", "secret_key": "...", "token": "...",
//    "time": "2026-11-29T12:00:00Z", "ttl": 900, "content_type": "...", "size": 123,
//    "sha256": "<hex>", "file_name": "..."}
#include <boost/json.hpp>
#include <iostream>
#include <string>

#include "objects/s3_store.hpp"
#include "util/time.hpp"

int main() {
  using namespace oms;
  auto no_env = [](const char*) -> std::optional<std::string> { return std::nullopt; };
  for (std::string line; std::getline(std::cin, line);) {
    const auto in = boost::json::parse(line).as_object();
    auto text = [&in](const char* name) { return std::string(in.at(name).as_string()); };
    const auto location = objects::parse_s3_url(text("store_url"), no_env);
    const objects::sigv4::Credentials credentials{text("access_key"), text("secret_key"), text("token")};
    const auto now = *util::parse_timestamp(text("time"));
    const std::chrono::seconds ttl(in.at("ttl").as_int64());
    if (text("method") == "PUT") {
      objects::PutSpec spec;
      spec.key = text("key");
      spec.content_type = text("content_type");
      spec.size_bytes = static_cast<std::uint64_t>(in.at("size").as_int64());
      spec.sha256_hex = text("sha256");
      spec.ttl = ttl;
      std::cout << objects::s3_presign_put(location, credentials, spec, now).url << '\n';
    } else {
      objects::GetSpec spec;
      spec.key = text("key");
      spec.file_name = text("file_name");
      spec.content_type = text("content_type");
      spec.ttl = ttl;
      std::cout << objects::s3_presign_get(location, credentials, spec, now).url << '\n';
    }
  }
  return 0;
}
