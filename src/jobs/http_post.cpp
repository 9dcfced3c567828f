#include "jobs/http_post.hpp"

namespace oms::jobs {

boost::asio::awaitable<HttpReply> http_post(boost::asio::any_io_executor executor, const HttpUrl& url,
                                            std::vector<std::pair<std::string, std::string>> headers, std::string body,
                                            std::chrono::milliseconds timeout) {
  util::HttpRequest request;
  request.method = "POST";
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.timeout = timeout;
  co_return co_await util::http_request(executor, url, std::move(request));
}

}  // namespace oms::jobs
