// THE atomicity test: every write use case is interrupted at each of its queries in turn; each
// time it must throw and leave every table exactly as it was (row counts and content checksums).
#include <algorithm>
#include <functional>
#include <map>

#include "app_fixture.hpp"
#include "util/encoding.hpp"

namespace oms::testing {
namespace {

class AtomicityTest : public AppTest {
 protected:
  // table -> (row count, sha256 of its sorted rows)
  using Snapshot = std::map<std::string, std::pair<std::size_t, std::string>>;

  Snapshot snapshot() {
    const bool pg = raw_db().dialect() == storage::Dialect::postgres;
    auto tables = exec(pg ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    Snapshot out;
    for (const auto& t : tables.rows) {
      const std::string name = t.str(0);
      auto rows = exec("SELECT * FROM " + name);
      std::vector<std::string> lines;
      for (const auto& r : rows.rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) line += (r.is_null(i) ? std::string("\x1e") : r.str(i)) + "\x1f";
        lines.push_back(std::move(line));
      }
      std::sort(lines.begin(), lines.end());
      std::string all;
      for (const auto& l : lines) all += l + "\n";
      out[name] = {lines.size(), util::sha256_hex(all)};
    }
    return out;
  }

  struct Case {
    std::string name;
    std::function<std::string()> prepare;         // fresh state; returns the opportunity id
    std::function<void(const std::string&)> act;  // the use case under test
  };

  std::string submitted() {
    auto o = create(sm1_);
    complete(sm1_, o.id);
    auto c = ctx(sm1_);
    return run(svc().opportunities.submit(c, o.id, std::nullopt)).id;
  }

  std::vector<Case> cases() {
    return {
        {"create", [] { return std::string(); }, [this](const std::string&) { create(sm1_, "Atomic create"); }},
        {"submit",
         [this] {
           auto o = create(sm1_);
           complete(sm1_, o.id);
           return o.id;
         },
         [this](const std::string& id) {
           auto c = ctx(sm1_);
           run(svc().opportunities.submit(c, id, std::nullopt));
         }},
        {"cancel", [this] { return submitted(); },
         [this](const std::string& id) {
           auto c = ctx(sm1_);
           run(svc().opportunities.cancel(c, id, "Budget frozen", std::nullopt));
         }},
        {"update with reason", [this] { return submitted(); },
         [this](const std::string& id) {
           auto c = ctx(sm1_);
           app::OpportunityPatch p;
           p.title = "Renamed under a reason";
           p.priority = domain::Priority::critical;
           p.reason = "Scope grew";
           run(svc().opportunities.update(c, id, p, std::nullopt));
         }},
        {"add skill requirement", [this] { return submitted(); },
         [this](const std::string& id) {
           auto c = ctx(sm1_);
           app::SkillRequirementInput req{skill_id("German"), domain::Importance::must_have,
                                          domain::Proficiency::native};
           run(svc().opportunities.add_skill_requirement(c, id, req, "Team in Munich", std::nullopt));
         }},
    };
  }
};

TEST_P(AtomicityTest, AnInterruptedUseCaseLeavesNothingBehind) {
  for (const auto& uc : cases()) {
    SCOPED_TRACE(uc.name);
    faults().fail_at_query(0);
    std::string id = uc.prepare();
    const int start = faults().write_queries_seen();
    const auto before_clean = snapshot();
    uc.act(id);
    const int queries = faults().write_queries_seen() - start;
    ASSERT_GE(queries, 4) << "a write use case runs several queries";
    EXPECT_NE(snapshot(), before_clean) << "the uninterrupted run must change something";

    for (int n = 1; n <= queries; ++n) {
      SCOPED_TRACE("failing query " + std::to_string(n) + " of " + std::to_string(queries));
      id = uc.prepare();
      const auto before = snapshot();
      faults().fail_at_query(n);
      EXPECT_THROW(uc.act(id), storage::DatabaseError);
      faults().fail_at_query(0);
      EXPECT_EQ(snapshot(), before);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AtomicityTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
