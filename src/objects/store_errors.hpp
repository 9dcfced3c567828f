#pragma once
// How the object stores report that they cannot do their work right now: the store (or the
// credentials it signs with) is unreachable, times out or answers an error. The client gets a
// coarse 503 UNAVAILABLE with Retry-After (http/problem.cpp); the cause goes to the log only.
#include <string>

#include "domain/error.hpp"

namespace oms::objects {

domain::DomainError store_unavailable(std::string cause);

}  // namespace oms::objects
