#include "cli/object_stores.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "objects/s3_store.hpp"
#include "util/encoding.hpp"

namespace oms::cli {
namespace {

// The key that signs file:// URLs: 32 random bytes, hex, in <data-dir>/object-urls.key (0600).
std::string url_signing_key(const std::filesystem::path& data_dir) {
  const auto path = data_dir / "object-urls.key";
  {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    if (s.str().size() >= 64) return s.str().substr(0, 64);
  }
  std::filesystem::create_directories(data_dir);
  std::string key = util::hex_encode(util::random_bytes(32));
  {
    std::ofstream out(path, std::ios::trunc);
    out << key;
  }
  ::chmod(path.c_str(), 0600);
  return key;
}

std::unique_ptr<objects::ObjectStore> open_store(const std::string& url, const std::string& name, const Config& config,
                                                 boost::asio::any_io_executor executor, const domain::Clock& clock,
                                                 const std::shared_ptr<std::string>& origin,
                                                 std::shared_ptr<objects::CredentialsProvider>& credentials) {
  if (url.starts_with("file://")) {
    auto read_origin = [origin] { return *origin; };
    return std::make_unique<objects::FileStore>(name, url.substr(7), url_signing_key(config.data_dir), read_origin);
  }
  if (!credentials) credentials = std::make_shared<objects::CredentialsProvider>(executor, process_env, clock);
  auto location = objects::parse_s3_url(url, process_env);
  return std::make_unique<objects::S3Store>(executor, std::move(location), credentials, clock);
}

}  // namespace

ObjectStores open_object_stores(const Config& config, boost::asio::any_io_executor executor,
                                const domain::Clock& clock) {
  ObjectStores out;
  std::shared_ptr<objects::CredentialsProvider> credentials;
  out.attachments = open_store(config.attachments_url, "attachments", config, executor, clock, out.origin, credentials);
  out.attachments_file = dynamic_cast<objects::FileStore*>(out.attachments.get());
  out.exports = open_store(config.exports_url, "exports", config, executor, clock, out.origin, credentials);
  out.exports_file = dynamic_cast<objects::FileStore*>(out.exports.get());
  return out;
}

}  // namespace oms::cli
