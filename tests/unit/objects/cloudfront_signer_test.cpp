// CloudFront canned-policy signed URLs: the policy text, CloudFront's base64, the URL layout, and
// a signature that the public half of the key verifies (RSA-SHA1, PKCS #1 v1.5). Byte-for-byte
// agreement with botocore is tests/api/test_cloudfront_botocore.py.
#include "objects/cloudfront_signer.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "domain/error.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

using cloudfront::PrivateKey;

struct TestKey {
  std::string private_pem;
  std::shared_ptr<EVP_PKEY> key;
};

TestKey make_key() {
  TestKey out;
  out.key.reset(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), out.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  out.private_pem.assign(data, static_cast<std::size_t>(size));
  return out;
}

bool verifies(const TestKey& key, std::string_view data, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha1(), nullptr, key.key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

// CloudFront's base64 back to bytes.
std::string decode(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '=';
    if (c == '~') c = '/';
  }
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n) - std::count(text.begin(), text.end(), '='));
  return out;
}

std::string query_value(const std::string& url, const std::string& name) {
  const auto at = url.find(name + "=");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 1;
  return url.substr(start, url.find('&', start) - start);
}

TEST(CloudFrontSigner, Base64UsesCloudFrontsAlphabet) {
  EXPECT_EQ(cloudfront::url_safe_base64(std::string("\xfb\xff\xbf", 3)), "-~-~");
  EXPECT_EQ(cloudfront::url_safe_base64("a"), "YQ__");
  EXPECT_EQ(cloudfront::url_safe_base64(""), "");
}

TEST(CloudFrontSigner, CannedPolicyIsCompactJsonEscapedAsPythonDoes) {
  EXPECT_EQ(cloudfront::canned_policy("https://d1.cloudfront.net/a/b?x=1", 1700000000),
            R"({"Statement":[{"Resource":"https://d1.cloudfront.net/a/b?x=1",)"
            R"("Condition":{"DateLessThan":{"AWS:EpochTime":1700000000}}}]})");
  EXPECT_EQ(cloudfront::canned_policy("q\"b\\s\n\x01\x7f\xc3\xa9\xf0\x9f\x99\x82", 1),
            R"({"Statement":[{"Resource":"q\"b\\s\n\u0001\u007f\u00e9\ud83d\ude42",)"
            R"("Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]})");
}

TEST(CloudFrontSigner, SignedUrlVerifiesWithThePublicKey) {
  const TestKey key = make_key();
  const PrivateKey signing = PrivateKey::from_pem(key.private_pem);
  const std::string url = "https://d1.cloudfront.net/opp/att?response-content-type=text%2Fplain";
  const std::string signed_url = cloudfront::sign_canned_url(url, 1700000060, signing, "K2JCJMDEHXQW5F");
  EXPECT_TRUE(signed_url.starts_with(url + "&Expires=1700000060&Signature="));
  EXPECT_TRUE(signed_url.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F"));
  const std::string signature = decode(query_value(signed_url, "Signature"));
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_TRUE(verifies(key, cloudfront::canned_policy(url, 1700000060), signature));
  EXPECT_FALSE(verifies(key, cloudfront::canned_policy(url, 1700000061), signature));
  // Without a query the parameters start with '?'.
  EXPECT_TRUE(cloudfront::sign_canned_url("https://d1/x", 5, signing, "K").starts_with("https://d1/x?Expires=5&"));
}

TEST(CloudFrontSigner, SignsAttachmentDownloadsForTheDistribution) {
  const TestKey key = make_key();
  const CloudFrontSigner signer({"d111111abcdef8.cloudfront.net", "KID1", "tenant/"},
                                PrivateKey::from_pem(key.private_pem), "");
  GetSpec spec;
  spec.key = "0b6f/1c2d";
  spec.file_name = "Q3 plan.pdf";
  spec.content_type = "application/pdf";
  spec.ttl = std::chrono::seconds(60);
  const auto now = *util::parse_timestamp("2026-11-29T12:00:00.750Z");
  const SignedRequest r = signer.sign_get(spec, now);
  const std::string resource =
      "https://d111111abcdef8.cloudfront.net/tenant/0b6f/1c2d"
      "?response-content-disposition=attachment%3B%20filename%3D%22Q3%20plan.pdf%22"
      "&response-content-type=application%2Fpdf";
  EXPECT_EQ(signer.resource_url(spec), resource);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.expires_at, *util::parse_timestamp("2026-11-29T12:01:00Z"));
  EXPECT_TRUE(r.url.starts_with(resource + "&Expires=1795953660&Signature="));
  EXPECT_TRUE(verifies(key, cloudfront::canned_policy(resource, 1795953660), decode(query_value(r.url, "Signature"))));
}

TEST(CloudFrontSigner, RefusesWhatIsNotAnRsaPrivateKey) {
  EXPECT_THROW(PrivateKey::from_pem("not a key"), std::invalid_argument);
  EXPECT_THROW(PrivateKey::from_pem(""), std::invalid_argument);
  std::shared_ptr<EVP_PKEY> ec(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  EXPECT_THROW(PrivateKey::from_pem(std::string(data, static_cast<std::size_t>(size))), std::invalid_argument);
}

TEST(CloudFrontSigner, WithoutAUsableKeyDownloadsAreUnavailable) {
  const CloudFrontSigner signer({"d1.cloudfront.net", "KID1", ""}, std::nullopt, "not a PEM private key");
  GetSpec spec;
  spec.key = "a/b";
  try {
    signer.sign_get(spec, *util::parse_timestamp("2026-11-29T12:00:00Z"));
    ADD_FAILURE() << "signed without a key";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.code(), domain::ErrorCode::unavailable);
    EXPECT_NE(e.log_detail().find("not a PEM private key"), std::string::npos);
  }
}

}  // namespace
}  // namespace oms::objects
