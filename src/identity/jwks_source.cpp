#include "identity/jwks_source.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace oms::identity {

std::string read_file_url(std::string_view file_url) {
  constexpr std::string_view prefix = "file://";
  if (!file_url.starts_with(prefix)) throw std::invalid_argument("not a file:// URL: " + std::string(file_url));
  const std::string path(file_url.substr(prefix.size()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace oms::identity
