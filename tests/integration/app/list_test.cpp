// Listing opportunities: visibility, every filter, full-text search, every sort in both
// directions, and keyset pages that cover everything exactly once.
#include <algorithm>
#include <set>

#include "app/cursor.hpp"
#include "app_fixture.hpp"
#include "util/time.hpp"

namespace oms::testing {
namespace {

using SortField = domain::OpportunitySort;
using domain::ErrorCode;
using domain::Status;

class ListTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    const char* words[] = {"Kubernetes rollout", "Data lake", "Payments modernisation", "Kubernetes security",
                           "Mainframe exit"};
    const domain::Priority prios[] = {domain::Priority::low, domain::Priority::medium, domain::Priority::high,
                                      domain::Priority::critical};
    for (int i = 0; i < 22; ++i) {
      const auto& who = i % 3 == 2 ? sm2_ : sm1_;
      auto c = ctx(who);
      auto in = sample_input(std::string(words[i % 5]) + " " + std::to_string(i % 7));
      in.priority = prios[i % 4];
      if (i % 4 == 1) in.customer_id = customer_id("Contoso Health");
      auto o = run(svc().opportunities.create(c, in, std::nullopt)).value;
      if (i % 3 == 0) {
        complete(who, o.id);
        run(svc().opportunities.submit(c, o.id, std::nullopt));
      } else if (i % 5 == 1) {
        domain::Timeline t;
        auto today = std::chrono::floor<std::chrono::days>(clock().now());
        t.expected_start_date = today + std::chrono::days(10 + i);
        t.expected_end_date = today + std::chrono::days(40 + i);
        run(svc().opportunities.put_timeline(c, o.id, t, std::nullopt, std::nullopt));
      }
      if (i % 4 != 3) clock().advance(std::chrono::minutes(1));  // every 4th shares a timestamp
    }
    auto admin = ctx(admin_);
    app::OpportunityQuery q;
    q.page.limit = 100;
    for (const auto& o : run(svc().opportunities.list(admin, q)).items)
      all_.push_back(run(svc().opportunities.get(admin, o.id)));
    ASSERT_EQ(all_.size(), 22u);
  }

  std::vector<std::string> page_through(const domain::Principal& who, app::OpportunityQuery q, int limit) {
    auto c = ctx(who);
    q.page.limit = limit;
    std::vector<std::string> ids;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = run(svc().opportunities.list(c, q));
      EXPECT_LE(page.items.size(), static_cast<std::size_t>(limit));
      for (const auto& o : page.items) ids.push_back(o.id);
      if (!page.next_cursor) return ids;
      q.page.cursor = page.next_cursor;
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }

  std::string key(const domain::Opportunity& o, SortField f) {
    switch (f) {
      case SortField::created_at:
        return util::format_timestamp(o.created_at);
      case SortField::updated_at:
        return util::format_timestamp(o.updated_at);
      case SortField::priority:
        return std::to_string(domain::priority_rank(o.priority));
      case SortField::title:
        return o.title;
      case SortField::expected_start_date:
        return o.timeline ? util::format_date(o.timeline->expected_start_date) : "9999-12-31";
    }
    return "";
  }

  std::vector<std::string> expected_order(SortField f, bool descending) {
    auto v = all_;
    std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
      auto ka = std::make_pair(key(a, f), a.id), kb = std::make_pair(key(b, f), b.id);
      return descending ? kb < ka : ka < kb;
    });
    std::vector<std::string> ids;
    ids.reserve(v.size());
    for (const auto& o : v) ids.push_back(o.id);
    return ids;
  }

  std::size_t count_if(const std::function<bool(const domain::Opportunity&)>& pred) {
    return static_cast<std::size_t>(std::count_if(all_.begin(), all_.end(), pred));
  }

  std::vector<domain::Opportunity> all_;
};

TEST_P(ListTest, EverySortPagesThroughEverythingOnceInOrder) {
  for (auto f : {SortField::created_at, SortField::updated_at, SortField::priority, SortField::title,
                 SortField::expected_start_date}) {
    for (bool descending : {false, true}) {
      app::OpportunityQuery q;
      q.sort = f;
      q.descending = descending;
      auto ids = page_through(admin_, q, 4);
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "duplicates";
      EXPECT_EQ(ids, expected_order(f, descending)) << "sort " << static_cast<int>(f) << " desc " << descending;
    }
  }
}

TEST_P(ListTest, VisibilityIsAppliedInTheQuery) {
  app::OpportunityQuery q;
  auto sm1 = page_through(sm1_, q, 5);
  EXPECT_EQ(sm1.size(), count_if([](const auto& o) { return o.sales_manager_id == "sm-1"; }));
  auto sa = page_through(sa_, q, 5);
  EXPECT_EQ(sa.size(), count_if([](const auto& o) { return o.status != Status::draft; }));
  EXPECT_EQ(page_through(service_, q, 50).size(), all_.size());
  q.sales_manager_id = "sm-2";
  EXPECT_TRUE(page_through(sm1_, q, 5).empty());
}

TEST_P(ListTest, FiltersNarrowTheList) {
  app::OpportunityQuery q;
  q.statuses = {Status::submitted};
  EXPECT_EQ(page_through(admin_, q, 100).size(), count_if([](const auto& o) { return o.status == Status::submitted; }));
  q.statuses = {Status::submitted, Status::draft};
  EXPECT_EQ(page_through(admin_, q, 100).size(), all_.size());

  app::OpportunityQuery p;
  p.priority = domain::Priority::critical;
  EXPECT_EQ(page_through(admin_, p, 3).size(),
            count_if([](const auto& o) { return o.priority == domain::Priority::critical; }));

  app::OpportunityQuery cq;
  cq.customer_id = customer_id("Contoso Health");
  const auto contoso = cq.customer_id;
  EXPECT_EQ(page_through(admin_, cq, 3).size(), count_if([&](const auto& o) { return o.customer_id == *contoso; }));

  app::OpportunityQuery range;
  range.created_from = all_.front().created_at;  // newest first by default
  range.created_to = all_.front().created_at;
  auto in_range = page_through(admin_, range, 100);
  EXPECT_EQ(in_range.size(), count_if([&](const auto& o) { return o.created_at == all_.front().created_at; }));
  EXPECT_GE(in_range.size(), 1u);

  app::OpportunityQuery sm2;
  sm2.sales_manager_id = "sm-2";
  EXPECT_EQ(page_through(admin_, sm2, 100).size(),
            count_if([](const auto& o) { return o.sales_manager_id == "sm-2"; }));
}

TEST_P(ListTest, FullTextSearchOverTitleAndDescription) {
  app::OpportunityQuery q;
  q.text = "kubernetes";
  auto hits = page_through(admin_, q, 100);
  EXPECT_EQ(hits.size(), count_if([](const auto& o) { return o.title.find("Kubernetes") != std::string::npos; }));
  EXPECT_GT(hits.size(), 0u);
  q.text = "Kubernetes security";  // every word must match
  EXPECT_EQ(page_through(admin_, q, 100).size(),
            count_if([](const auto& o) { return o.title.find("Kubernetes security") != std::string::npos; }));
  q.text = "rollout cloud";  // one word from the title, one from the description
  EXPECT_EQ(page_through(admin_, q, 100).size(),
            count_if([](const auto& o) { return o.title.find("rollout") != std::string::npos; }));
  EXPECT_GT(count_if([](const auto& o) { return o.title.find("rollout") != std::string::npos; }), 0u);
  q.text = "nonexistentword";
  EXPECT_TRUE(page_through(admin_, q, 100).empty());
  q.text = "\"unbalanced AND (";
  EXPECT_NO_THROW(page_through(admin_, q, 100));
}

TEST_P(ListTest, NeedsAttention) {
  // Fresh data: nothing is stale yet, and only matching-phase opportunities starting soon count.
  clock().advance(std::chrono::days(8));  // every draft is now untouched for more than 7 days
  app::OpportunityQuery q;
  q.needs_attention = true;
  auto ids = page_through(admin_, q, 100);
  const auto now = clock().now();
  const auto soon = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(14);
  auto expected = count_if([&](const auto& o) {
    if (o.status == Status::draft) return now - o.updated_at > std::chrono::days(7);
    return o.timeline && o.timeline->expected_start_date <= soon;
  });
  EXPECT_EQ(ids.size(), expected);
  EXPECT_GT(expected, 0u);
  auto latest = all_.front().updated_at;
  for (const auto& o : all_) latest = std::max(latest, o.updated_at);
  clock().set(latest);
  EXPECT_TRUE(page_through(admin_, q, 100).empty());  // no draft is stale; submitted ones start in 60 days

  // A submitted opportunity whose start moves into the next 14 days needs attention.
  auto submitted = std::find_if(all_.begin(), all_.end(), [](const auto& o) { return o.status == Status::submitted; });
  ASSERT_NE(submitted, all_.end());
  auto owner = ctx(submitted->sales_manager_id == "sm-1" ? sm1_ : sm2_);
  domain::Timeline t = *submitted->timeline;
  t.expected_start_date = std::chrono::floor<std::chrono::days>(latest) + std::chrono::days(5);
  run(svc().opportunities.put_timeline(owner, submitted->id, t, "Customer wants to start early", std::nullopt));
  EXPECT_EQ(page_through(admin_, q, 100), std::vector<std::string>{submitted->id});
}

TEST_P(ListTest, BadCursorsAreValidationErrors) {
  auto c = ctx(admin_);
  app::OpportunityQuery q;
  q.page.limit = 2;
  q.page.cursor = "garbage!!";
  auto e = expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.list(c, q)); });
  EXPECT_TRUE(has_field_error(e, "cursor"));
  q.page.cursor.reset();
  auto first = run(svc().opportunities.list(c, q));
  ASSERT_TRUE(first.next_cursor.has_value());
  q.sort = SortField::title;
  q.page.cursor = first.next_cursor;
  e = expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.list(c, q)); });
  EXPECT_TRUE(has_field_error(e, "cursor"));
  q.sort = SortField::created_at;
  q.page.cursor = app::encode_cursor({"not a time", all_.front().id}, "-created_at");
  expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.list(c, q)); });
  q.page.cursor.reset();
  q.page.limit = 0;
  e = expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.list(c, q)); });
  EXPECT_TRUE(has_field_error(e, "limit"));
}

INSTANTIATE_TEST_SUITE_P(Stores, ListTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
