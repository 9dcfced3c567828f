// Test tool: prints oms's CloudFront signed URLs for JSON-lines requests on stdin, one JSON string
// a line (a URL may hold any character), so that tests/api/test_cloudfront_botocore.py can compare them with botocore's
// CloudFrontSigner byte for byte. Usage: oms_cloudfront_sign PRIVATE_KEY.pem
//   {"url": "https://...", "expires": 1700000000, "key_pair_id": "K..."}   sign this URL
//   {"domain": "d1.cloudfront.net", "prefix": "", "key": "...", "file_name": "...",
//    "content_type": "...", "time": "2026-11-29T12:00:00Z", "ttl": 60, "key_pair_id": "K..."}
//                                                     sign an attachment download (CloudFrontSigner)
#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "objects/cloudfront_signer.hpp"
#include "util/time.hpp"

int main(int argc, char** argv) {
  using namespace oms;
  if (argc != 2) {
    std::cerr << "usage: oms_cloudfront_sign PRIVATE_KEY.pem < requests.jsonl\n";
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream pem;
  pem << file.rdbuf();
  const auto key = objects::cloudfront::PrivateKey::from_pem(pem.str());
  for (std::string line; std::getline(std::cin, line);) {
    const auto in = boost::json::parse(line).as_object();
    auto text = [&in](const char* name) { return std::string(in.at(name).as_string()); };
    if (in.contains("url")) {
      const std::string url =
          objects::cloudfront::sign_canned_url(text("url"), in.at("expires").as_int64(), key, text("key_pair_id"));
      std::cout << boost::json::serialize(boost::json::value(url)) << '\n';
      continue;
    }
    objects::CloudFrontSettings settings{text("domain"), text("key_pair_id"), text("prefix")};
    const objects::CloudFrontSigner signer(settings, key, "");
    objects::GetSpec spec;
    spec.key = text("key");
    spec.file_name = text("file_name");
    spec.content_type = text("content_type");
    spec.ttl = std::chrono::seconds(in.at("ttl").as_int64());
    const std::string url = signer.sign_get(spec, *util::parse_timestamp(text("time"))).url;
    std::cout << boost::json::serialize(boost::json::value(url)) << '\n';
  }
  return 0;
}
