#pragma once
// Outgoing POSTs for webhook delivery, through the shared client (util/http_client.hpp).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/http_client.hpp"

namespace oms::jobs {

using util::HttpReply;
using util::HttpUrl;
using util::parse_http_url;

// Throws std::exception (connection refused or dropped, timeout, TLS failure) when no complete
// response arrives within `timeout`.
boost::asio::awaitable<HttpReply> http_post(boost::asio::any_io_executor executor, const HttpUrl& url,
                                            std::vector<std::pair<std::string, std::string>> headers, std::string body,
                                            std::chrono::milliseconds timeout);

}  // namespace oms::jobs
