// Read use cases of the Opportunity aggregate: get, list (filters, visibility, keyset pages),
// status history and change history.
#include <stdexcept>

#include "app/cached_reads.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "app/paging.hpp"
#include "app/read_audit.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

namespace oms::app {
using domain::DomainError;
using domain::ErrorCode;
using storage::OpportunityRepository;

namespace {

constexpr auto k_draft_stale_after = std::chrono::days(7);
constexpr auto k_start_soon_within = std::chrono::days(14);

std::string sort_spec(const OpportunityQuery& q) {
  static constexpr const char* names[] = {"created_at", "updated_at", "priority", "title", "expected_start_date"};
  return std::string(q.descending ? "-" : "") + names[static_cast<int>(q.sort)];
}

// Sort keys travel in a normalised spelling so both engines compare them correctly.
std::string normalize_key(domain::OpportunitySort f, const std::string& key) {
  switch (f) {
    case domain::OpportunitySort::created_at:
    case domain::OpportunitySort::updated_at: {
      auto t = util::parse_timestamp(key);
      if (!t) throw_bad_cursor();
      return util::format_timestamp(*t);
    }
    case domain::OpportunitySort::priority:
      if (key.size() != 1 || key[0] < '0' || key[0] > '3') throw_bad_cursor();
      return key;
    case domain::OpportunitySort::expected_start_date: {
      auto d = util::parse_date(key);
      if (!d) throw_bad_cursor();
      return util::format_date(*d);
    }
    case domain::OpportunitySort::title:
      return key;
  }
  return key;
}

std::optional<std::pair<std::int64_t, std::string>> history_position(const PageRequest& page, std::string_view spec) {
  if (!page.cursor) return std::nullopt;
  Cursor c = decode_cursor(*page.cursor, spec);
  if (!util::is_uuid(c.id) || !detail::is_sequence_key(c.key)) throw_bad_cursor();
  return std::make_pair(std::stoll(c.key), c.id);
}

}  // namespace

awaitable<domain::Opportunity> Opportunities::get(const Ctx& ctx, const std::string& id) {
  const std::string key = detail::normalize_opportunity_id(id);
  auto found = co_await cached::opportunity(ports_, key);
  if (!found) detail::throw_opportunity_not_found();
  domain::require_view(ctx.actor, *found);
  if (found->sales_manager_id != ctx.actor.user_id) audit_personal_read(ports_, ctx, "opportunity", found->id);
  co_return std::move(*found);
}

awaitable<std::shared_ptr<const RenderedOpportunity>> Opportunities::get_rendered(const Ctx& ctx,
                                                                                  const std::string& id) {
  const std::string key = detail::normalize_opportunity_id(id);
  auto found = co_await cached::rendered_opportunity(ports_, key);
  if (!found) detail::throw_opportunity_not_found();
  domain::require_view(ctx.actor, found->policy);
  if (found->policy.sales_manager_id != ctx.actor.user_id) audit_personal_read(ports_, ctx, "opportunity", key);
  co_return found;
}

awaitable<Page<domain::Opportunity>> Opportunities::list(const Ctx& ctx, const OpportunityQuery& q) {
  detail::check_page_limit(q.page.limit);
  co_return co_await page_of(ctx, q);
}

awaitable<Page<domain::Opportunity>> Opportunities::batch(const Ctx& ctx, const OpportunityQuery& q) {
  if (q.page.limit < 1 || q.page.limit > k_batch_max) throw std::invalid_argument("batch size out of range");
  co_return co_await page_of(ctx, q);
}

awaitable<std::int64_t> Opportunities::count(const Ctx& ctx, const OpportunityQuery& q) {
  const storage::OpportunityFilter f = filter_of(ctx, q);
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  const std::int64_t n = co_await OpportunityRepository::count(*session, f);
  co_await session->commit();
  co_return n;
}

// The filters and the caller's visibility, as the repository takes them (no keyset, no limit).
storage::OpportunityFilter Opportunities::filter_of(const Ctx& ctx, const OpportunityQuery& q) const {
  storage::OpportunityFilter f;
  f.statuses = q.statuses;
  f.priority = q.priority;
  if (q.customer_id) {
    if (!util::is_uuid(*q.customer_id))
      throw DomainError(ErrorCode::validation_error, "customer_id must be a UUID.",
                        {{"customer_id", "must be a UUID"}});
    f.customer_id = util::to_lower_ascii(*q.customer_id);
  }
  f.sales_manager_id = q.sales_manager_id;
  if (q.text && !q.text->empty()) f.text = q.text;
  f.created_from = q.created_from;
  f.created_to = q.created_to;
  const domain::Timestamp now = ports_.clock.now();
  f.needs_attention = q.needs_attention;
  f.draft_stale_before = now - std::chrono::duration_cast<std::chrono::microseconds>(k_draft_stale_after);
  f.start_by = std::chrono::floor<std::chrono::days>(now) + k_start_soon_within;
  switch (ctx.actor.role) {
    case domain::Role::sales_manager:
      f.only_sales_manager = ctx.actor.user_id;
      break;
    case domain::Role::solution_architect:
      f.exclude_drafts = true;
      break;
    case domain::Role::admin:
    case domain::Role::service:
      break;
  }
  f.sort = q.sort;
  f.descending = q.descending;
  return f;
}

awaitable<Page<domain::Opportunity>> Opportunities::page_of(const Ctx& ctx, const OpportunityQuery& q) {
  const std::string spec = sort_spec(q);
  storage::OpportunityFilter f = filter_of(ctx, q);
  if (q.page.cursor) {
    Cursor c = decode_cursor(*q.page.cursor, spec);
    if (!util::is_uuid(c.id)) throw_bad_cursor();
    f.after = std::make_pair(normalize_key(q.sort, c.key), util::to_lower_ascii(c.id));
  }
  f.limit = q.page.limit + 1;  // one more tells whether a next page exists

  auto session = co_await ports_.db.begin(storage::Access::read_one);  // one statement
  auto rows = co_await OpportunityRepository::list(*session, f);
  co_await session->commit();

  Page<domain::Opportunity> page;
  if (detail::trim_to_limit(rows, q.page.limit))
    page.next_cursor = encode_cursor({normalize_key(q.sort, rows.back().sort_key), rows.back().opportunity.id}, spec);
  for (auto& r : rows) page.items.push_back(std::move(r.opportunity));
  co_return page;
}

awaitable<Page<domain::StatusRecord>> Opportunities::status_history(const Ctx& ctx, const std::string& id,
                                                                    PageRequest page_request) {
  detail::check_page_limit(page_request.limit);
  const std::string key = detail::normalize_opportunity_id(id);
  auto after = history_position(page_request, "status_history");
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto found = co_await OpportunityRepository::load(*session, key, false);
  if (!found) detail::throw_opportunity_not_found();
  domain::require_view(ctx.actor, *found);
  auto rows = co_await OpportunityRepository::status_records(*session, key, after, page_request.limit + 1);
  co_await session->commit();
  co_return detail::page_by_version(std::move(rows), page_request.limit, "status_history");
}

awaitable<Page<domain::ChangeRecord>> Opportunities::changes(const Ctx& ctx, const std::string& id,
                                                             PageRequest page_request) {
  detail::check_page_limit(page_request.limit);
  const std::string key = detail::normalize_opportunity_id(id);
  auto after = history_position(page_request, "changes");
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto found = co_await OpportunityRepository::load(*session, key, false);
  if (!found) detail::throw_opportunity_not_found();
  domain::require_view_changes(ctx.actor, *found);
  auto rows = co_await OpportunityRepository::change_records(*session, key, after, page_request.limit + 1);
  co_await session->commit();
  co_return detail::page_by_version(std::move(rows), page_request.limit, "changes");
}

}  // namespace oms::app
