#pragma once
// The Content-Disposition a signed download asks the store to send (S3's and CloudFront's
// response-content-disposition), so the browser saves the file under its name.
#include <string>
#include <string_view>

namespace oms::objects {

// RFC 6266: a plain quoted name when it is printable ASCII without quotes or backslashes, else
// the RFC 8187 form (filename*=UTF-8''...). The plain form also keeps the pre-signed URL free of
// '*' and '\'', which some S3 emulators canonicalize wrongly (encodeURIComponent leaves them).
std::string attachment_disposition(std::string_view file_name);

}  // namespace oms::objects
