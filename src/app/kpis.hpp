#pragma once
// The business KPIs of the seed ("custom application metrics"), counted by the use cases right
// after the transaction that made them committed (a rolled-back change counts nothing; an
// idempotent replay is not a new opportunity). Process-wide; rendered by /metrics as
// oms_opportunities_<kind>_total counters.
#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace oms::app {

enum class Kpi { created, submitted, cancelled, reactivated, completed };
inline constexpr std::array<std::string_view, 5> k_kpi_names{"created", "submitted", "cancelled", "reactivated",
                                                             "completed"};

class Kpis {
 public:
  void add(Kpi k) noexcept { counts_[static_cast<std::size_t>(k)].fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t get(Kpi k) const noexcept {
    return counts_[static_cast<std::size_t>(k)].load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<std::uint64_t>, k_kpi_names.size()> counts_{};
};

Kpis& kpis();

}  // namespace oms::app
