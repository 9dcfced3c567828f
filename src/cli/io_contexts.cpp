#include "cli/io_contexts.hpp"

namespace oms::cli {

IoContexts::IoContexts(unsigned count) {
  for (unsigned i = 0; i < (count == 0 ? 1 : count); ++i) contexts_.push_back(std::make_unique<Context>());
}

IoContexts::~IoContexts() {
  for (auto& c : contexts_) c->shutdown();
}

std::vector<boost::asio::io_context*> IoContexts::more() const {
  std::vector<boost::asio::io_context*> out;
  for (std::size_t i = 1; i < contexts_.size(); ++i) out.push_back(contexts_[i].get());
  return out;
}

}  // namespace oms::cli
