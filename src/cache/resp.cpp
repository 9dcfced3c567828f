#include "cache/resp.hpp"

#include <hiredis/hiredis.h>

#include "cache/cache.hpp"

namespace oms::cache {
namespace {

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::error;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::nil;
  }
  return out;
}

}  // namespace

std::string format_command(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  char* target = nullptr;
  const int n = redisFormatCommandArgv(&target, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  if (n < 0 || target == nullptr) throw CacheError("redis: cannot format command");
  std::string out(target, static_cast<std::size_t>(n));
  redisFreeCommand(target);
  return out;
}

ReplyReader::ReplyReader() : reader_(redisReaderCreate()) {
  if (reader_ == nullptr) throw CacheError("redis: cannot create reply reader");
}

ReplyReader::~ReplyReader() { redisReaderFree(static_cast<redisReader*>(reader_)); }

void ReplyReader::feed(std::string_view bytes) {
  if (redisReaderFeed(static_cast<redisReader*>(reader_), bytes.data(), bytes.size()) != REDIS_OK)
    throw CacheError("redis: reply reader refused input");
}

std::optional<Reply> ReplyReader::next() {
  void* raw = nullptr;
  auto* reader = static_cast<redisReader*>(reader_);
  if (redisReaderGetReply(reader, &raw) != REDIS_OK)
    throw CacheError(std::string("redis: protocol error: ") + reader->errstr);
  if (raw == nullptr) return std::nullopt;
  Reply out = convert(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return out;
}

}  // namespace oms::cache
