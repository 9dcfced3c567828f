#include "objects/s3_writer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <stdexcept>

#include "logging/logging.hpp"
#include "objects/sigv4.hpp"
#include "util/encoding.hpp"

namespace oms::objects {
namespace {

constexpr std::chrono::seconds k_part_timeout{120};

// The text of the first <tag>...</tag> in an S3 XML answer, or "".
std::string xml_text(std::string_view xml, std::string_view tag) {
  // Built piece by piece: "literal" + std::string trips GCC 12's -Wrestrict (bug 105329).
  std::string open = "<";
  open += tag;
  open += '>';
  std::string close = "</";
  close += tag;
  close += '>';
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return "";
  const auto end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return "";
  return std::string(xml.substr(start + open.size(), end - start - open.size()));
}

// A coarse failure: the operation, the status and S3's error code (never the body's details).
[[noreturn]] void s3_failed(std::string_view operation, const util::HttpReply& reply) {
  std::string what = "S3 ";
  what += operation;
  what += " answered ";
  what += std::to_string(reply.status);
  if (const std::string code = xml_text(reply.body, "Code"); !code.empty()) {
    what += " (";
    what += code;
    what += ')';
  }
  throw std::runtime_error(what);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

awaitable<void> abort_upload(boost::asio::any_io_executor executor, S3Location location,
                             std::shared_ptr<CredentialsProvider> credentials, const domain::Clock& clock,
                             std::string key, std::string upload_id) {
  sigv4::Pairs query = {{"uploadId", upload_id}};
  const util::HttpReply reply =
      co_await s3_call(executor, location, *credentials, clock, "DELETE", key, std::move(query), "", {});
  // 404: already gone. Some local S3s (s3rver) do not implement the call (405): the bucket's
  // lifecycle rule for incomplete uploads is the backstop.
  if (reply.status != 204 && reply.status != 200 && reply.status != 404) s3_failed("AbortMultipartUpload", reply);
}

}  // namespace

awaitable<util::HttpReply> s3_call(boost::asio::any_io_executor executor, const S3Location& location,
                                   CredentialsProvider& credentials, const domain::Clock& clock, std::string method,
                                   const std::string& key, sigv4::Pairs query, std::string body, sigv4::Pairs headers,
                                   std::size_t max_reply) {
  const sigv4::Credentials c = co_await credentials.get();
  const std::string date = amz_date(clock.now());
  const std::string payload_hash = util::sha256_hex(body);
  sigv4::Request r;
  r.method = method;
  r.canonical_uri = sigv4::canonical_uri(s3_object_path(location, key), false);
  r.query = std::move(query);
  r.payload_hash = payload_hash;
  r.headers = std::move(headers);
  r.headers.emplace_back("host", location.host);
  r.headers.emplace_back("x-amz-content-sha256", payload_hash);
  r.headers.emplace_back("x-amz-date", date);
  if (!c.session_token.empty()) r.headers.emplace_back("x-amz-security-token", c.session_token);
  const sigv4::Signed s = sigv4::sign(r, c, date, location.region, "s3");

  util::HttpRequest request;
  request.method = std::move(method);
  for (const auto& h : r.headers)
    if (h.first != "host") request.headers.push_back(h);
  request.headers.emplace_back("Authorization", s.authorization);
  request.body = std::move(body);
  request.timeout = k_part_timeout;
  request.max_body = max_reply;
  auto url = util::parse_http_url(location.scheme_host);
  if (!url) throw std::runtime_error("bad S3 endpoint " + location.scheme_host);
  url->target = r.canonical_uri;
  char separator = '?';
  for (const auto& [name, value] : r.query) {
    url->target += separator;
    url->target += sigv4::uri_encode(name, false);
    url->target += '=';
    url->target += sigv4::uri_encode(value, false);
    separator = '&';
  }
  co_return co_await util::http_request(executor, *url, std::move(request));
}

S3ObjectWriter::S3ObjectWriter(boost::asio::any_io_executor executor, S3Location location,
                               std::shared_ptr<CredentialsProvider> credentials, const domain::Clock& clock,
                               std::string key, std::string content_type, std::size_t part_size)
    : executor_(std::move(executor)),
      location_(std::move(location)),
      credentials_(std::move(credentials)),
      clock_(clock),
      key_(std::move(key)),
      content_type_(std::move(content_type)),
      part_size_(part_size) {
  if (part_size_ < k_s3_min_part_size) throw std::invalid_argument("an S3 part must be at least 5 MiB");
  buffer_.reserve(part_size_);
}

S3ObjectWriter::~S3ObjectWriter() {
  if (done_ || upload_id_.empty()) return;
  // Cannot wait here: the abort runs on its own, with copies of what it needs.
  auto task = abort_upload(executor_, location_, credentials_, clock_, key_, upload_id_);
  boost::asio::co_spawn(executor_, std::move(task), [key = key_](const std::exception_ptr& e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& error) {
      std::string message = "S3 multipart upload of ";
      message += key;
      message += " not aborted: ";
      message += error.what();
      logging::log_warn(message);
    }
  });
}

awaitable<void> S3ObjectWriter::send_part() {
  if (upload_id_.empty()) {
    sigv4::Pairs query = {{"uploads", ""}};
    sigv4::Pairs headers = {{"content-type", content_type_}};
    const util::HttpReply reply = co_await s3_call(executor_, location_, *credentials_, clock_, "POST", key_,
                                                   std::move(query), "", std::move(headers));
    if (reply.status != 200) s3_failed("CreateMultipartUpload", reply);
    upload_id_ = xml_text(reply.body, "UploadId");
    if (upload_id_.empty()) throw std::runtime_error("S3 CreateMultipartUpload answered no UploadId");
  }
  sigv4::Pairs query = {{"partNumber", std::to_string(etags_.size() + 1)}, {"uploadId", upload_id_}};
  std::string part;
  part.swap(buffer_);
  const util::HttpReply reply =
      co_await s3_call(executor_, location_, *credentials_, clock_, "PUT", key_, std::move(query), std::move(part), {});
  if (reply.status != 200) s3_failed("UploadPart", reply);
  const auto etag = reply.header("etag");
  if (!etag || etag->empty()) throw std::runtime_error("S3 UploadPart answered no ETag");
  etags_.emplace_back(*etag);
  buffer_.reserve(part_size_);
}

awaitable<void> S3ObjectWriter::write(std::string_view chunk) {
  if (done_) throw std::logic_error("write after the object was finished or aborted");
  written_ += chunk.size();
  while (!chunk.empty()) {
    const std::size_t take = std::min(chunk.size(), part_size_ - buffer_.size());
    buffer_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    if (buffer_.size() == part_size_) co_await send_part();
  }
}

awaitable<void> S3ObjectWriter::finish() {
  if (done_) throw std::logic_error("finish after the object was finished or aborted");
  if (upload_id_.empty()) {
    // Smaller than one part: one PutObject.
    sigv4::Pairs headers = {{"content-type", content_type_}};
    std::string body;
    body.swap(buffer_);
    const util::HttpReply reply = co_await s3_call(executor_, location_, *credentials_, clock_, "PUT", key_, {},
                                                   std::move(body), std::move(headers));
    if (reply.status != 200) s3_failed("PutObject", reply);
    done_ = true;
    co_return;
  }
  if (!buffer_.empty()) co_await send_part();
  std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (std::size_t i = 0; i < etags_.size(); ++i) {
    xml += "<Part><PartNumber>";
    xml += std::to_string(i + 1);
    xml += "</PartNumber><ETag>";
    xml += xml_escape(etags_[i]);
    xml += "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  sigv4::Pairs query = {{"uploadId", upload_id_}};
  sigv4::Pairs headers = {{"content-type", "application/xml"}};
  const util::HttpReply reply = co_await s3_call(executor_, location_, *credentials_, clock_, "POST", key_,
                                                 std::move(query), std::move(xml), std::move(headers));
  // S3 may answer 200 and still fail (an <Error> body sent after the response began).
  if (reply.status != 200 || reply.body.find("<Error>") != std::string::npos)
    s3_failed("CompleteMultipartUpload", reply);
  done_ = true;
}

awaitable<void> S3ObjectWriter::abort() {
  if (done_) co_return;
  done_ = true;
  buffer_.clear();
  buffer_.shrink_to_fit();
  if (upload_id_.empty()) co_return;
  co_await abort_upload(executor_, location_, credentials_, clock_, key_, upload_id_);
}

awaitable<std::unique_ptr<ObjectWriter>> S3Store::open_writer(std::string key, std::string content_type) {
  co_return std::make_unique<S3ObjectWriter>(executor_, location_, credentials_, clock_, std::move(key),
                                             std::move(content_type), k_s3_default_part_size);
}

}  // namespace oms::objects
