#include "tracing/xray_emitter.hpp"

#include <boost/asio/ip/udp.hpp>
#include <charconv>
#include <mutex>
#include <stdexcept>

namespace oms::tracing {
namespace asio = boost::asio;
using udp = asio::ip::udp;

struct XRayEmitter::Socket {
  explicit Socket(const asio::any_io_executor& ex) : socket(ex) {}
  std::mutex mutex;  // one sender at a time: a socket object is not safe for concurrent use
  udp::socket socket;
  udp::endpoint daemon;
};

namespace {

std::pair<std::string, unsigned short> split_address(std::string_view address) {
  std::string_view host;
  std::string_view port;
  if (address.starts_with("[")) {
    const auto close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() || address[close + 1] != ':')
      throw std::invalid_argument("expected [ipv6]:port");
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos) throw std::invalid_argument("expected host:port");
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535)
    throw std::invalid_argument("expected host:port with a port from 1 to 65535");
  return {std::string(host), static_cast<unsigned short>(value)};
}

}  // namespace

XRayEmitter::XRayEmitter(asio::any_io_executor executor, std::string_view daemon)
    : socket_(std::make_unique<Socket>(executor)) {
  auto [host, port] = split_address(daemon);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (!ec) {
    socket_->daemon = udp::endpoint(ip, port);
  } else {
    udp::resolver resolver(executor);
    auto results = resolver.resolve(udp::v4(), host, std::to_string(port), ec);
    if (ec || results.empty())
      throw std::runtime_error("cannot resolve the X-Ray daemon address \"" + std::string(daemon) + "\"");
    socket_->daemon = results.begin()->endpoint();
  }
  socket_->socket.open(socket_->daemon.protocol());
  socket_->socket.non_blocking(true);
  endpoint_text_ = socket_->daemon.address().to_string() + ":" + std::to_string(socket_->daemon.port());
}

XRayEmitter::~XRayEmitter() = default;

void XRayEmitter::send(std::string_view document) {
  std::string datagram;
  datagram.reserve(k_daemon_header.size() + document.size());
  datagram.append(k_daemon_header).append(document);
  if (datagram.size() > k_max_datagram) {
    ++failed_;
    return;
  }
  boost::system::error_code ec;
  {
    std::lock_guard lock(socket_->mutex);
    socket_->socket.send_to(asio::buffer(datagram), socket_->daemon, 0, ec);
  }
  if (ec) {
    ++failed_;
  } else {
    ++sent_;
  }
}

}  // namespace oms::tracing
