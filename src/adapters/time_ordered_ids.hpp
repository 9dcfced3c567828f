#pragma once
// Time-ordered (version 7, RFC 9562) UUIDs behind the domain's IdGenerator port: 48 bits of Unix
// time in milliseconds, then 74 random bits from the OS's CSPRNG. New rows' keys therefore land
// at the right edge of every B-tree keyed by id (the table or its unique index) instead of a
// random page each: a group of inserts shares a few pages, which is what lets SQLite's group
// commit write a batch in a few WAL frames (durable creates 3,152-3,753/s against 2,109-2,315/s
// with random version 4 ids: docs/performance.md). An id tells when it was made, to the
// millisecond, as created_at does; the random part keeps it unguessable.
#include <string>

#include "domain/clock.hpp"

namespace oms::adapters {

class TimeOrderedIdGenerator final : public domain::IdGenerator {
 public:
  std::string next() override;
};

}  // namespace oms::adapters
