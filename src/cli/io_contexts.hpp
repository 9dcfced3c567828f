#pragma once
// The event loops of `oms serve`: one io_context per I/O thread, each run by that thread alone
// (http/server.hpp says why). The first runs everything that is not a client connection — the
// database pools, the cache, timers, the in-process worker — and its share of connections; the
// others run only connections and the database connections opened for them
// (util/connection_pool.hpp).
#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace oms::cli {

class IoContexts {
 public:
  explicit IoContexts(unsigned count);
  // Shuts every context down (destroying what is still queued in any of them) before it destroys
  // any: a handler left in one may own a socket or timer of another — the acceptor's pending
  // accept owns the next connection's socket, a request's coroutine its database connection —
  // and that one must still exist when the handler goes.
  ~IoContexts();
  IoContexts(const IoContexts&) = delete;
  IoContexts& operator=(const IoContexts&) = delete;

  boost::asio::io_context& main() { return *contexts_.front(); }
  // The contexts after the first.
  std::vector<boost::asio::io_context*> more() const;

 private:
  struct Context : boost::asio::io_context {
    Context() : boost::asio::io_context(1) {}
    using boost::asio::execution_context::shutdown;
  };
  std::vector<std::unique_ptr<Context>> contexts_;
};

}  // namespace oms::cli
