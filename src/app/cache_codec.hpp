#pragma once
// The bytes the cache holds for domain values (internal to src/app): JSON with a format number,
// every field kept exactly (timestamps as microseconds). Decoding throws on anything unexpected;
// callers treat that as a miss.
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace oms::app::codec {

std::string encode(const domain::Opportunity& o);
domain::Opportunity decode_opportunity(std::string_view bytes);
std::string encode(const domain::User& u);
domain::User decode_user(std::string_view bytes);
std::string encode(const std::vector<domain::Skill>& skills);
std::vector<domain::Skill> decode_skills(std::string_view bytes);

}  // namespace oms::app::codec
