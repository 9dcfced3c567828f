#include "objects/file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "objects/file_store.hpp"
#include "util/encoding.hpp"

namespace oms::objects {
namespace {

constexpr std::size_t k_buffer_bytes = 64 * 1024;

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

FileObjectWriter::FileObjectWriter(const std::filesystem::path& root, std::filesystem::path target)
    : temporary_(root / (".tmp-" + util::hex_encode(util::random_bytes(12)))), target_(std::move(target)) {
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) fail(errno, "create " + temporary_.string());
  buffer_.reserve(k_buffer_bytes);
}

FileObjectWriter::~FileObjectWriter() { discard(); }

void FileObjectWriter::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!done_) ::unlink(temporary_.c_str());
  done_ = true;
}

void FileObjectWriter::write_all(std::string_view bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + at, bytes.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno, "write " + temporary_.string());
    at += static_cast<std::size_t>(n);
  }
}

void FileObjectWriter::flush_buffer() {
  write_all(buffer_);
  buffer_.clear();
}

awaitable<void> FileObjectWriter::write(std::string_view chunk) {
  if (done_) throw std::logic_error("write after the object was finished or aborted");
  written_ += chunk.size();
  if (buffer_.size() + chunk.size() > k_buffer_bytes) flush_buffer();
  if (chunk.size() >= k_buffer_bytes) {
    write_all(chunk);
  } else {
    buffer_.append(chunk);
  }
  co_return;
}

awaitable<void> FileObjectWriter::finish() {
  if (done_) throw std::logic_error("finish after the object was finished or aborted");
  flush_buffer();
  if (::fsync(fd_) != 0) fail(errno, "flush " + temporary_.string());
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) fail(errno, "close " + temporary_.string());
  std::filesystem::create_directories(target_.parent_path());
  // rename() replaces the target atomically: a retried export overwrites its earlier object.
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail(errno, "store " + target_.string());
  done_ = true;
  // The rename itself is durable once the directory is flushed.
  const int dir = ::open(target_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  co_return;
}

awaitable<void> FileObjectWriter::abort() {
  discard();
  co_return;
}

awaitable<std::unique_ptr<ObjectWriter>> FileStore::open_writer(std::string key, std::string /*content_type*/) {
  const std::filesystem::path target = path_of(key);
  co_return std::make_unique<FileObjectWriter>(root_, target);
}

}  // namespace oms::objects
