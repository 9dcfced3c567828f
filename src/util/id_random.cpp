#include "util/id_random.hpp"

#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>

namespace oms::util {
namespace {

struct Buffer {
  std::array<unsigned char, 4096> bytes{};
  std::size_t used = bytes.size();  // empty until the first draw
};

thread_local Buffer t_buffer;

// The child of a fork has only the forking thread; its copy of the buffer is the parent's.
void forget_after_fork() { t_buffer.used = t_buffer.bytes.size(); }

void refill(Buffer& b) {
  static std::once_flag registered;
  std::call_once(registered, [] {
    if (pthread_atfork(nullptr, nullptr, forget_after_fork) != 0) throw std::runtime_error("pthread_atfork failed");
  });
  if (RAND_bytes(b.bytes.data(), static_cast<int>(b.bytes.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  b.used = 0;
}

}  // namespace

std::string random_id_bytes(std::size_t n) {
  std::string out;
  out.reserve(n);
  Buffer& b = t_buffer;
  while (out.size() < n) {
    if (b.used == b.bytes.size()) refill(b);
    const std::size_t take = std::min(n - out.size(), b.bytes.size() - b.used);
    out.append(reinterpret_cast<const char*>(b.bytes.data() + b.used), take);
    b.used += take;
  }
  return out;
}

}  // namespace oms::util
