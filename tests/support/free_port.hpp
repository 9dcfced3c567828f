#pragma once
// A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts itself.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace oms::testing {

inline unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("free_port: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  // sockaddr_in is read through the generic sockaddr the socket API takes.
  auto* generic = reinterpret_cast<sockaddr*>(&addr);
  const bool ok = ::bind(fd, generic, sizeof addr) == 0 && ::getsockname(fd, generic, &len) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("free_port: no port on 127.0.0.1");
  return ntohs(addr.sin_port);
}

}  // namespace oms::testing
