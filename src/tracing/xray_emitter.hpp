#pragma once
// Sends segment documents to the X-Ray daemon (the sidecar at AWS_XRAY_DAEMON_ADDRESS) in its
// UDP wire format: the header line {"format":"json","version":1}, a newline, the document, one
// datagram each. The socket is non-blocking and a send never waits: a datagram that cannot go
// out now (buffer full, daemon absent, too large) is dropped and counted, never an error.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace oms::tracing {

inline constexpr std::string_view k_daemon_header = "{\"format\":\"json\",\"version\":1}\n";
inline constexpr std::size_t k_max_datagram = 64 * 1024 - 29;  // IPv4 UDP payload limit

class XRayEmitter {
 public:
  // `daemon` is "host:port" or "[v6]:port"; a host name is resolved once, here. Throws
  // std::invalid_argument for a malformed address, std::runtime_error when it cannot resolve.
  XRayEmitter(boost::asio::any_io_executor executor, std::string_view daemon);
  ~XRayEmitter();

  void send(std::string_view document);

  std::uint64_t sent() const noexcept { return sent_.load(); }
  std::uint64_t failed() const noexcept { return failed_.load(); }
  const std::string& endpoint() const noexcept { return endpoint_text_; }

 private:
  struct Socket;
  std::unique_ptr<Socket> socket_;
  std::string endpoint_text_;
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace oms::tracing
