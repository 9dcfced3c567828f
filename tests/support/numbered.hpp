#pragma once
// prefix + n for test data ("k7", "opportunity:12"), appended rather than written as
// `"k" + std::to_string(n)`: g++ 12 at -O3 (the Dockerfile's Release) reports a -Wrestrict false
// positive inside std::string's operator+ for the latter (GCC bug 105329).
#include <string>

namespace oms::testing {

inline std::string numbered(const char* prefix, long long n) {
  std::string out = prefix;
  out += std::to_string(n);
  return out;
}

}  // namespace oms::testing
