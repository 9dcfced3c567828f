#include "util/id_random.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

namespace oms::util {
namespace {

TEST(RandomIdBytes, GivesTheLengthAskedForAcrossRefills) {
  EXPECT_EQ(random_id_bytes(0).size(), 0u);
  EXPECT_EQ(random_id_bytes(1).size(), 1u);
  EXPECT_EQ(random_id_bytes(10000).size(), 10000u);  // more than one 4 KiB buffer
}

TEST(RandomIdBytes, NeverRepeatsAcrossManyBuffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) seen.insert(random_id_bytes(16));  // ~20 refills
  EXPECT_EQ(seen.size(), 5000u);
}

// A forked child must not hand out what its parent's buffer still holds.
TEST(RandomIdBytes, AForkedChildDoesNotRepeatItsParent) {
  (void)random_id_bytes(16);  // the buffer is filled and has bytes left
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string mine = random_id_bytes(16);
    const ssize_t written = write(pipe_fds[1], mine.data(), mine.size());
    _exit(written == 16 ? 0 : 1);
  }
  close(pipe_fds[1]);
  const std::string parents = random_id_bytes(16);
  std::string childs(16, '\0');
  ASSERT_EQ(read(pipe_fds[0], childs.data(), childs.size()), 16);
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(childs, parents);
}

}  // namespace
}  // namespace oms::util
