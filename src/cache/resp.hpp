#pragma once
// RESP2 over our own sockets: hiredis 0.14's command formatter and reply reader (Debian's hiredis
// has no TLS and no cluster; we only borrow its protocol code).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oms::cache {

struct Reply {
  enum class Type { string, status, error, integer, nil, array };
  Type type = Type::nil;
  std::string text;  // string, status, error
  std::int64_t integer = 0;
  std::vector<Reply> elements;

  bool is_error() const { return type == Type::error; }
};

// The RESP encoding of one command.
std::string format_command(const std::vector<std::string>& argv);

// Incremental reply parser: feed bytes as they arrive, take replies as they complete.
class ReplyReader {
 public:
  ReplyReader();
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  void feed(std::string_view bytes);
  // The next complete reply, if any; throws CacheError on a protocol error.
  std::optional<Reply> next();

 private:
  void* reader_;
};

}  // namespace oms::cache
