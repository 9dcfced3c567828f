// Search (`query` of the opportunity list): tricky inputs give the same, expected titles on
// SQLite and PostgreSQL. The rules are in src/storage/search_text.hpp: case and accents folded,
// every whitespace-separated word must occur literally (as a substring) in title or description.
#include <gmock/gmock.h>

#include <algorithm>
#include <set>

#include "app_fixture.hpp"

namespace oms::testing {
namespace {

// 200 characters, the longest query the API accepts.
const std::string k_long_word = [] {
  std::string w;
  for (int i = 0; w.size() < 200; ++i) w += "segment" + std::to_string(i);
  return w.substr(0, 200);
}();

struct Item {
  const char* title;
  std::string description;
};

const std::vector<Item> k_corpus{
    {"Opportunity-4e7b2a91c0", "Hex code in the title."},
    {"Exponent 1e10 rollout", "A number-like word."},
    {"Register 0x1F mapping", "Hex literal."},
    {"Caf\xC3\xA9 renovation", "Composed accent."},
    {"CAFE LOGISTICS", "Upper case only."},
    {"Cafe\xCC\x81 decomposed", "Combining accent."},
    {"Discount 100% guaranteed", "Percent sign."},
    {"snake_case naming", "Underscore."},
    {"Path C:\\temp\\data", "Backslash."},
    {"O'Brien account", "Apostrophe."},
    {"Plain words here", "Kubernetes security review for Z\xC3\xBCrich."},
    {"Long description", "Starts with " + k_long_word + " and goes on."},
};

struct Case {
  std::string query;
  std::set<std::string> titles;
};

const std::set<std::string> k_cafes{"Caf\xC3\xA9 renovation", "CAFE LOGISTICS", "Cafe\xCC\x81 decomposed"};

const std::vector<Case> k_cases{
    // Hex and number-like words, whole and in part (PostgreSQL's text parser split these).
    {"4e7b2a91c0", {"Opportunity-4e7b2a91c0"}},
    {"4e7b", {"Opportunity-4e7b2a91c0"}},
    {"91c0", {"Opportunity-4e7b2a91c0"}},
    {"1e10", {"Exponent 1e10 rollout"}},
    {"1e1", {"Exponent 1e10 rollout"}},
    {"0x1F", {"Register 0x1F mapping"}},
    {"0X1f", {"Register 0x1F mapping"}},
    // Hyphens are ordinary characters of a word.
    {"opportunity-4e7", {"Opportunity-4e7b2a91c0"}},
    {"OPPORTUNITY-4E7B2A91C0", {"Opportunity-4e7b2a91c0"}},
    {"opportunity4e7", {}},
    // Case and accents (composed or combining) are folded on both sides.
    {"cafe", k_cafes},
    {"CAF\xC3\x89", k_cafes},
    {"cafe\xCC\x81", k_cafes},
    {"caf\xC3\xA9 renovation", {"Caf\xC3\xA9 renovation"}},
    {"zurich", {"Plain words here"}},
    {"Z\xC3\x9CRICH", {"Plain words here"}},
    // Every word must match, in title or description.
    {"kubernetes zurich", {"Plain words here"}},
    {"opportunity 4e7b", {"Opportunity-4e7b2a91c0"}},
    {"renovation logistics", {}},
    {"  cafe \t  renovation  ", {"Caf\xC3\xA9 renovation"}},
    {"cafe\xC2\xA0renovation", {"Caf\xC3\xA9 renovation"}},  // a no-break space separates words too
    // Very short words (no trigram index) behave the same.
    {"1f", {"Register 0x1F mapping"}},
    {"0x", {"Register 0x1F mapping"}},
    {"z\xC3\xBC", {"Plain words here"}},
    {"0x 1f", {"Register 0x1F mapping"}},
    {"zq", {}},
    // SQL and LIKE metacharacters are literal.
    {"%", {"Discount 100% guaranteed"}},
    {"0%", {"Discount 100% guaranteed"}},
    {"100%", {"Discount 100% guaranteed"}},
    {"%%", {}},
    {"c%e", {}},
    {"_", {"snake_case naming"}},
    {"e_c", {"snake_case naming"}},
    {"a_e", {}},
    {"\\", {"Path C:\\temp\\data"}},
    {"c:\\temp", {"Path C:\\temp\\data"}},
    {"\\t", {"Path C:\\temp\\data"}},
    {"'", {"O'Brien account"}},
    {"o'brien", {"O'Brien account"}},
    {"o'b", {"O'Brien account"}},
    {"\"", {}},
    {"\"unbalanced AND (", {}},
    {"NEAR(cafe)", {}},
    {"cafe*", {}},
    // The longest query the API accepts.
    {k_long_word, {"Long description"}},
    {k_long_word.substr(0, 199) + "#", {}},
};

class SearchTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    auto c = ctx(sm1_);
    for (const auto& item : k_corpus) {
      auto in = sample_input(item.title);
      in.description = item.description;
      run(svc().opportunities.create(c, in, std::nullopt));
    }
  }

  std::set<std::string> search(const std::string& text) {
    auto c = ctx(admin_);
    app::OpportunityQuery q;
    q.text = text;
    q.page.limit = 100;
    std::set<std::string> titles;
    for (const auto& o : run(svc().opportunities.list(c, q)).items) titles.insert(o.title);
    return titles;
  }
};

TEST_P(SearchTest, TrickyInputsFindTheSameOnEveryStore) {
  for (const auto& k : k_cases) EXPECT_EQ(search(k.query), k.titles) << "query: " << k.query;
}

TEST_P(SearchTest, RenamedTitleIsFoundByItsNewWords) {
  auto c = ctx(sm1_);
  auto o = create(sm1_, "Zeta 7f3c");
  EXPECT_EQ(search("7F3C"), std::set<std::string>{"Zeta 7f3c"});
  app::OpportunityPatch patch;
  patch.title = "Omega 9d2e";
  patch.description = "No code here any more.";  // the sample description repeats the title
  run(svc().opportunities.update(c, o.id, patch, std::nullopt));
  EXPECT_TRUE(search("7f3c").empty());
  EXPECT_EQ(search("9d2e"), std::set<std::string>{"Omega 9d2e"});
}

INSTANTIATE_TEST_SUITE_P(Stores, SearchTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
