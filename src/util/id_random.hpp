#pragma once
// Random bytes for identifiers (entity, request, trace and span ids): OpenSSL's
// CSPRNG drawn 4 KiB at a time into a per-thread buffer. A direct RAND_bytes call costs ~860 ns
// on this machine (a getpid() system call for fork detection, the DRBG's lock, a cipher setup),
// three calls a request were ~12 % of a cache hit's CPU; a slice of the buffer costs ~8 ns.
// Keys, nonces and tokens keep calling util::random_bytes: they should not sit in a buffer.
// A forked child starts with an empty buffer, so it never repeats its parent's ids.
#include <cstddef>
#include <string>

namespace oms::util {

std::string random_id_bytes(std::size_t n);

}  // namespace oms::util
