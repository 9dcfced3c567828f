// Keyset cursors of list pages: encoded once per page, decoded once per next-page request.
#include <benchmark/benchmark.h>

#include "app/cursor.hpp"

namespace {

using namespace oms;

const app::Cursor k_cursor{"2026-11-29T13:14:00.123456Z", "58ee227d-3882-4959-b5d5-24455d08fb46"};
constexpr const char* k_spec = "opportunities:created_at:desc";

void cursor_encode(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(app::encode_cursor(k_cursor, k_spec));
}
BENCHMARK(cursor_encode);

void cursor_decode(benchmark::State& state) {
  const std::string text = app::encode_cursor(k_cursor, k_spec);
  for (auto _ : state) benchmark::DoNotOptimize(app::decode_cursor(text, k_spec));
}
BENCHMARK(cursor_decode);

}  // namespace
