#pragma once
// The streaming writer of the file:// store: chunks are buffered (64 KiB) and written to a
// temporary file inside the store's root; finish() flushes it to disk (fsync) and renames it over
// the key's path, atomically, so a reader sees the old object or the whole new one, never a
// part. abort() and the destructor of an unfinished writer remove the temporary file.
#include <filesystem>
#include <string>

#include "objects/object_store.hpp"

namespace oms::objects {

class FileObjectWriter final : public ObjectWriter {
 public:
  // Creates the temporary file in `root`; `target` is the key's path (inside `root`, checked by
  // the store). Throws std::system_error when the file cannot be created.
  FileObjectWriter(const std::filesystem::path& root, std::filesystem::path target);
  FileObjectWriter(const FileObjectWriter&) = delete;
  FileObjectWriter& operator=(const FileObjectWriter&) = delete;
  ~FileObjectWriter() override;

  awaitable<void> write(std::string_view chunk) override;
  awaitable<void> finish() override;
  awaitable<void> abort() override;
  std::uint64_t bytes_written() const noexcept override { return written_; }

 private:
  void write_all(std::string_view bytes);
  void flush_buffer();
  void discard() noexcept;

  std::filesystem::path temporary_;
  std::filesystem::path target_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t written_ = 0;
  bool done_ = false;
};

}  // namespace oms::objects
