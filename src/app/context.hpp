#pragma once
// What every use case needs: who asks, under which request id, and the ports it works through.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_aside.hpp"
#include "domain/clock.hpp"
#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::app {

class ReadAuditLog;

template <class T>
using awaitable = boost::asio::awaitable<T>;

// Use cases do not check the caller's role: each route declares its gate once, at registration
// (http::RouteOptions::roles). They check ownership, visibility and state (src/domain/policy.hpp).
struct Ctx {
  domain::Principal actor;
  std::string request_id;
  // True once the client has gone; a write use case checks it before it begins (empty: never).
  std::function<bool()> client_gone;
};

// The ports, owned by the process (src/cli wiring), shared by all use cases.
struct Ports {
  storage::Database& db;
  domain::Clock& clock;
  domain::IdGenerator& ids;
  cache::CacheAside* cache = nullptr;  // none: every read goes to the database (app/cached_reads.hpp)
  ReadAuditLog* read_audit = nullptr;  // none: admin reads of personal data are not audited
};

// A page of a list: {"items": [...], "next_cursor": "..." | null}.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

struct PageRequest {
  int limit = 20;                     // 1..100, validated by the caller
  std::optional<std::string> cursor;  // opaque, from a previous page; invalid -> VALIDATION_ERROR
};

// Idempotency-Key on creates: the same key with the same request body returns the resource
// created the first time (replayed = true); with another body it is a 409 CONFLICT.
struct IdempotencyKey {
  std::string key;           // 1..255 printable ASCII, validated by the caller
  std::string request_hash;  // sha256 hex of method, path and body
};

template <class T>
struct Created {
  T value;
  bool replayed = false;
};

}  // namespace oms::app
