#include "storage/repositories/opportunity_repository.hpp"

#include <boost/json.hpp>
#include <iterator>

#include "storage/column_names.hpp"
#include "storage/repositories/attachment_repository.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/search_text.hpp"
#include "util/time.hpp"

namespace oms::storage {
namespace {

using domain::Opportunity;

constexpr const char* k_opportunity_columns =
    "o.id, o.title, o.description, o.customer_id, o.sales_manager_id, o.priority, o.arr_cents, o.currency, "
    "o.region, o.requires_physical_presence, o.allows_remote_work, o.status, o.status_before_cancellation, "
    "o.selected_architect_id, o.created_at, o.updated_at, o.submitted_at, o.completed_at, o.cancelled_at, "
    "o.cancellation_reason, o.version";
constexpr std::size_t k_column_count = 21;

Opportunity read_root(const Row& r) {
  Opportunity o;
  o.id = r.str(0);
  o.title = r.str(1);
  o.description = r.str(2);
  o.customer_id = r.str(3);
  o.sales_manager_id = r.str(4);
  o.priority = enum_column<domain::Priority>(r, 5);
  o.annual_recurring_revenue.cents = r.i64(6);
  o.annual_recurring_revenue.currency = r.str(7);
  o.geographic_requirements.region = r.str(8);
  o.geographic_requirements.requires_physical_presence = r.boolean(9);
  o.geographic_requirements.allows_remote_work = r.boolean(10);
  o.status = enum_column<domain::Status>(r, 11);
  o.status_before_cancellation = opt_enum_column<domain::Status>(r, 12);
  o.selected_architect_id = r.text(13);
  o.created_at = r.timestamp(14);
  o.updated_at = r.timestamp(15);
  o.submitted_at = r.opt_timestamp(16);
  o.completed_at = r.opt_timestamp(17);
  o.cancelled_at = r.opt_timestamp(18);
  o.cancellation_reason = r.text(19);
  o.version = r.i64(20);
  return o;
}

std::vector<domain::Date> parse_dates(std::string_view json) {
  std::vector<domain::Date> out;
  for (const auto& s : parse_json_string_array(json)) {
    auto d = util::parse_date(s);
    if (!d) throw DatabaseError("bad date in specific_required_days: " + s);
    out.push_back(*d);
  }
  return out;
}

std::string dates_json(const std::vector<domain::Date>& days) {
  std::vector<std::string> text;
  text.reserve(days.size());
  for (auto d : days) text.push_back(util::format_date(d));
  return json_string_array(text);
}

// Every folded query word must occur in the folded title and description (search_text.hpp).
// PostgreSQL: one LIKE per word on the generated search_text column, served by its trigram
// index. SQLite: words of three or more code points as one FTS5 trigram MATCH, shorter ones
// (no trigram to look up) compared with instr() against the same table's stored text.
void add_search(SqlBuilder& q, bool pg, std::string_view text) {
  const std::vector<std::string> words = search_words(text);
  if (words.empty()) return;  // nothing left to look for (e.g. only combining marks)
  if (pg) {
    for (const auto& w : words) q << " AND o.search_text LIKE " << q.bind(search_like_pattern(w));
    return;
  }
  std::string match;
  std::vector<std::string> short_words;
  for (const auto& w : words) {
    if (search_code_points(w) >= k_search_min_indexed) {
      if (!match.empty()) match += " AND ";
      match += search_fts5_phrase(w);
    } else {
      short_words.push_back(w);
    }
  }
  q << " AND o.rowid IN (SELECT rowid FROM opportunity_search WHERE ";
  const char* glue = "";
  if (!match.empty()) {
    q << "opportunity_search MATCH " << q.bind(match);
    glue = " AND ";
  }
  for (auto& w : short_words) {
    q << glue << "instr(search_text, " << q.bind(std::move(w)) << ") > 0";
    glue = " AND ";
  }
  q << ")";
}

std::string sort_column(domain::OpportunitySort s) {
  switch (s) {
    case domain::OpportunitySort::created_at:
      return "o.created_at";
    case domain::OpportunitySort::updated_at:
      return "o.updated_at";
    case domain::OpportunitySort::priority:
      return "o.priority_rank";
    case domain::OpportunitySort::title:
      return "o.title";
    case domain::OpportunitySort::expected_start_date:
      // Opportunities without a timeline sort last (ascending) under a far-future date.
      return "COALESCE(t.expected_start_date, '9999-12-31')";
  }
  return "o.created_at";
}

domain::SkillRequirement read_skill_requirement(const Row& r) {
  domain::SkillRequirement sr;
  sr.id = r.str(0);
  sr.skill_id = r.str(1);
  sr.skill_name = r.str(2);
  sr.skill_type = enum_column<domain::SkillCategory>(r, 3);
  sr.importance = enum_column<domain::Importance>(r, 4);
  sr.minimum_proficiency = enum_column<domain::Proficiency>(r, 5);
  sr.created_at = r.timestamp(6);
  return sr;
}

// PostgreSQL loads the aggregate in one statement (one round trip instead of three): the skill
// requirements and attachments come along as JSON arrays of rows of text (timestamps cast to
// text, so they read exactly as in a result set), read back through the same row readers.
// SQLite keeps three statements (no round trips; json_group_array has no ORDER BY before 3.44).
constexpr const char* k_parts_as_json =
    ", (SELECT json_agg(json_build_array(sr.id, sr.skill_id, sr.skill_name, sr.skill_type, sr.importance, "
    "sr.minimum_proficiency, sr.created_at::text) ORDER BY sr.created_at, sr.id) FROM skill_requirements sr "
    "WHERE sr.opportunity_id = o.id), "
    "(SELECT json_agg(json_build_array(a.id, a.file_name, a.content_type, a.size_bytes::text, a.object_key, "
    "a.checksum_sha256, a.uploaded_by, a.uploaded_at::text) ORDER BY a.uploaded_at, a.id) FROM attachments a "
    "WHERE a.opportunity_id = o.id AND a.removed_at IS NULL)";
const std::vector<std::string> k_requirement_columns{
    "id", "skill_id", "skill_name", "skill_type", "importance", "minimum_proficiency", "created_at"};
const std::vector<std::string> k_attachment_json_columns{
    "id", "file_name", "content_type", "size_bytes", "object_key", "checksum_sha256", "uploaded_by", "uploaded_at"};

// A json_agg of json_build_array rows (NULL when there are none) as Rows.
template <class ReadRow>
auto json_rows(const std::optional<std::string>& json, const std::vector<std::string>& columns, ReadRow read_row) {
  std::vector<decltype(read_row(std::declval<const Row&>()))> out;
  if (!json) return out;
  const std::vector<std::string>* names = intern_columns(columns);
  // The tree lives in one block on the stack (spilling to the heap past it) and is freed at once.
  alignas(16) unsigned char block[4096];
  boost::json::monotonic_resource tree(block, sizeof block);
  const boost::json::value parsed = boost::json::parse(*json, &tree);
  for (const boost::json::value& item : parsed.as_array()) {
    const boost::json::array& cells = item.as_array();
    std::vector<std::optional<std::string>> values;
    values.reserve(cells.size());
    for (const boost::json::value& cell : cells) {
      if (cell.is_null()) {
        values.emplace_back(std::nullopt);
      } else if (cell.is_string()) {
        values.emplace_back(std::string(cell.get_string()));
      } else {
        values.emplace_back(boost::json::serialize(cell));
      }
    }
    if (values.size() != names->size()) throw DatabaseError("unexpected row shape in a JSON aggregate");
    out.push_back(read_row(Row(names, std::move(values))));
  }
  return out;
}

domain::StatusRecord read_status_record(const Row& r) {
  domain::StatusRecord s;
  s.id = r.str(0);
  s.opportunity_id = r.str(1);
  s.from_status = opt_enum_column<domain::Status>(r, 3);
  s.to_status = enum_column<domain::Status>(r, 4);
  s.changed_at = r.timestamp(5);
  s.changed_by = r.str(6);
  s.reason = r.text(7);
  return s;
}

domain::ChangeRecord read_change_record(const Row& r) {
  domain::ChangeRecord c;
  c.id = r.str(0);
  c.opportunity_id = r.str(1);
  c.field = r.str(3);
  c.old_value = r.text(4);
  c.new_value = r.text(5);
  c.changed_at = r.timestamp(6);
  c.changed_by = r.str(7);
  c.reason = r.text(8);
  return c;
}

// The columns both insert and update write, in this order: title through version (all but id,
// sales_manager_id and created_at, which never change).
void append_mutable_columns(Params& p, const Opportunity& o) {
  Param status_before_cancellation = o.status_before_cancellation
                                         ? param(std::string(domain::to_string(*o.status_before_cancellation)))
                                         : Param{Null{}};
  Params columns{o.title,
                 o.description,
                 o.customer_id,
                 std::string(domain::to_string(o.priority)),
                 std::int64_t{domain::priority_rank(o.priority)},
                 o.annual_recurring_revenue.cents,
                 o.annual_recurring_revenue.currency,
                 o.geographic_requirements.region,
                 o.geographic_requirements.requires_physical_presence,
                 o.geographic_requirements.allows_remote_work,
                 std::string(domain::to_string(o.status)),
                 std::move(status_before_cancellation),
                 param(o.selected_architect_id),
                 param(o.updated_at),
                 param(o.submitted_at),
                 param(o.completed_at),
                 param(o.cancelled_at),
                 param(o.cancellation_reason),
                 o.version};
  p.insert(p.end(), std::make_move_iterator(columns.begin()), std::make_move_iterator(columns.end()));
}

// Status and change records page alike: oldest first by the version they produced, then id.
awaitable<Result> history_page(Session& s, std::string_view select_from, const std::string& opportunity_id,
                               const std::optional<std::pair<std::int64_t, std::string>>& after, int limit) {
  SqlBuilder q;
  q << select_from << " WHERE opportunity_id = " << q.bind(opportunity_id);
  if (after) {
    std::string v = q.bind(after->first);
    std::string id = q.bind(after->second);
    q << " AND (version > " << v << " OR (version = " << v << " AND id > " << id << "))";
  }
  q << " ORDER BY version, id LIMIT " << q.bind(std::int64_t{limit});
  co_return co_await s.query(q.sql(), std::move(q.params()));
}

}  // namespace

awaitable<std::optional<Opportunity>> OpportunityRepository::load(Session& s, const std::string& id, bool lock) {
  const bool pg = s.dialect() == Dialect::postgres;
  std::string sql = std::string("SELECT ") + k_opportunity_columns +
                    ", ps.content, ps.updated_at, t.expected_start_date, t.expected_end_date, "
                    "t.specific_required_days, t.is_flexible";
  if (pg) sql += k_parts_as_json;
  sql +=
      " FROM opportunities o "
      "LEFT JOIN problem_statements ps ON ps.opportunity_id = o.id "
      "LEFT JOIN timelines t ON t.opportunity_id = o.id WHERE o.id = $1";
  if (lock && pg) sql += " FOR UPDATE OF o";
  Params p{id};
  auto root = co_await s.query(sql, std::move(p));
  if (root.empty()) co_return std::nullopt;
  const Row& r = root.rows.front();
  Opportunity o = read_root(r);
  std::size_t i = k_column_count;
  if (!r.is_null(i)) o.problem_statement = domain::ProblemStatement{r.str(i), r.timestamp(i + 1)};
  if (!r.is_null(i + 2)) {
    domain::Timeline t;
    t.expected_start_date = r.date(i + 2);
    t.expected_end_date = r.date(i + 3);
    t.specific_required_days = parse_dates(r.str(i + 4));
    t.is_flexible = r.boolean(i + 5);
    o.timeline = std::move(t);
  }
  if (pg) {
    o.skill_requirements = json_rows(r.text(i + 6), k_requirement_columns, read_skill_requirement);
    o.attachments = json_rows(r.text(i + 7), k_attachment_json_columns, read_attachment);
    co_return o;
  }

  Params p2{id};
  auto reqs = co_await s.query(
      "SELECT id, skill_id, skill_name, skill_type, importance, minimum_proficiency, created_at "
      "FROM skill_requirements WHERE opportunity_id = $1 ORDER BY created_at, id",
      std::move(p2));
  o.skill_requirements = read_rows(reqs, read_skill_requirement);

  Params p3{id};
  auto atts = co_await s.query(
      "SELECT id, file_name, content_type, size_bytes, object_key, checksum_sha256, uploaded_by, uploaded_at "
      "FROM attachments WHERE opportunity_id = $1 AND removed_at IS NULL ORDER BY uploaded_at, id",
      std::move(p3));
  o.attachments = read_rows(atts, read_attachment);
  co_return o;
}

awaitable<void> OpportunityRepository::insert(Session& s, const Opportunity& o) {
  Params p{o.id, o.sales_manager_id, param(o.created_at)};
  append_mutable_columns(p, o);
  co_await s.query(
      "INSERT INTO opportunities (id, sales_manager_id, created_at, title, description, customer_id, priority, "
      "priority_rank, arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, "
      "status_before_cancellation, selected_architect_id, updated_at, submitted_at, completed_at, cancelled_at, "
      "cancellation_reason, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
      "$17, $18, $19, $20, $21, $22)",
      std::move(p));
}

awaitable<bool> OpportunityRepository::update(Session& s, const Opportunity& o, std::int64_t expected_version) {
  Params p{o.id, expected_version};
  append_mutable_columns(p, o);
  auto r = co_await s.query(
      "UPDATE opportunities SET title = $3, description = $4, customer_id = $5, priority = $6, priority_rank = $7, "
      "arr_cents = $8, currency = $9, region = $10, requires_physical_presence = $11, allows_remote_work = $12, "
      "status = $13, status_before_cancellation = $14, selected_architect_id = $15, updated_at = $16, "
      "submitted_at = $17, completed_at = $18, cancelled_at = $19, cancellation_reason = $20, version = $21 "
      "WHERE id = $1 AND version = $2",
      std::move(p));
  co_return r.affected == 1;
}

awaitable<void> OpportunityRepository::upsert_problem_statement(Session& s, const std::string& opportunity_id,
                                                                const domain::ProblemStatement& ps) {
  Params p{opportunity_id, ps.content, param(ps.updated_at)};
  co_await s.query(
      "INSERT INTO problem_statements (opportunity_id, content, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (opportunity_id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
      std::move(p));
}

awaitable<void> OpportunityRepository::upsert_timeline(Session& s, const std::string& opportunity_id,
                                                       const domain::Timeline& t) {
  Params p{opportunity_id, param(t.expected_start_date), param(t.expected_end_date),
           dates_json(t.specific_required_days), t.is_flexible};
  co_await s.query(
      "INSERT INTO timelines (opportunity_id, expected_start_date, expected_end_date, specific_required_days, "
      "is_flexible) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (opportunity_id) DO UPDATE SET "
      "expected_start_date = excluded.expected_start_date, expected_end_date = excluded.expected_end_date, "
      "specific_required_days = excluded.specific_required_days, is_flexible = excluded.is_flexible",
      std::move(p));
}

awaitable<void> OpportunityRepository::insert_skill_requirement(Session& s, const std::string& opportunity_id,
                                                                const domain::SkillRequirement& r) {
  Params p{r.id,
           opportunity_id,
           r.skill_id,
           r.skill_name,
           std::string(domain::to_string(r.skill_type)),
           std::string(domain::to_string(r.importance)),
           std::string(domain::to_string(r.minimum_proficiency)),
           param(r.created_at)};
  co_await s.query(
      "INSERT INTO skill_requirements (id, opportunity_id, skill_id, skill_name, skill_type, importance, "
      "minimum_proficiency, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      std::move(p));
}

awaitable<void> OpportunityRepository::update_skill_requirement(Session& s, const domain::SkillRequirement& r) {
  Params p{r.id, std::string(domain::to_string(r.importance)), std::string(domain::to_string(r.minimum_proficiency))};
  co_await s.query("UPDATE skill_requirements SET importance = $2, minimum_proficiency = $3 WHERE id = $1",
                   std::move(p));
}

awaitable<void> OpportunityRepository::delete_skill_requirement(Session& s, const std::string& requirement_id) {
  Params p{requirement_id};
  co_await s.query("DELETE FROM skill_requirements WHERE id = $1", std::move(p));
}

awaitable<void> OpportunityRepository::insert_status_record(Session& s, const domain::StatusRecord& r,
                                                            std::int64_t version) {
  Params p{r.id,
           r.opportunity_id,
           version,
           r.from_status ? Param{std::string(domain::to_string(*r.from_status))} : Param{Null{}},
           std::string(domain::to_string(r.to_status)),
           param(r.changed_at),
           r.changed_by,
           param(r.reason)};
  co_await s.query(
      "INSERT INTO status_records (id, opportunity_id, version, from_status, to_status, changed_at, changed_by, "
      "reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      std::move(p));
}

awaitable<void> OpportunityRepository::insert_change_record(Session& s, const domain::ChangeRecord& r,
                                                            std::int64_t version) {
  Params p{
      r.id,         r.opportunity_id, version, r.field, param(r.old_value), param(r.new_value), param(r.changed_at),
      r.changed_by, param(r.reason)};
  co_await s.query(
      "INSERT INTO change_records (id, opportunity_id, version, field, old_value, new_value, changed_at, "
      "changed_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      std::move(p));
}

namespace {

// The filters and visibility of a list query (everything but the keyset and the order).
void add_filters(SqlBuilder& q, const OpportunityFilter& f, bool pg) {
  if (!f.statuses.empty()) {
    q << " AND o.status IN (";
    for (std::size_t i = 0; i < f.statuses.size(); ++i) {
      if (i) q << ", ";
      q << q.bind(std::string(domain::to_string(f.statuses[i])));
    }
    q << ")";
  }
  if (f.priority) q << " AND o.priority = " << q.bind(std::string(domain::to_string(*f.priority)));
  if (f.customer_id) q << " AND o.customer_id = " << q.bind(*f.customer_id);
  if (f.sales_manager_id) q << " AND o.sales_manager_id = " << q.bind(*f.sales_manager_id);
  if (f.only_sales_manager) q << " AND o.sales_manager_id = " << q.bind(*f.only_sales_manager);
  if (f.exclude_drafts) q << " AND o.status <> 'DRAFT'";
  if (f.created_from) q << " AND o.created_at >= " << q.bind(param(*f.created_from));
  if (f.created_to) q << " AND o.created_at <= " << q.bind(param(*f.created_to));
  if (f.text) add_search(q, pg, *f.text);
  if (f.needs_attention) {
    q << " AND ((o.status = 'DRAFT' AND o.updated_at < " << q.bind(param(f.draft_stale_before))
      << ") OR (o.status IN ('SUBMITTED', 'MATCHING_IN_PROGRESS', 'MATCHES_FOUND') AND EXISTS (SELECT 1 FROM "
         "timelines na WHERE na.opportunity_id = o.id AND na.expected_start_date <= "
      << q.bind(param(f.start_by)) << ")))";
  }
}

}  // namespace

awaitable<std::int64_t> OpportunityRepository::count(Session& s, const OpportunityFilter& f) {
  SqlBuilder q;
  q << "SELECT COUNT(*) FROM opportunities o WHERE 1 = 1";
  add_filters(q, f, s.dialect() == Dialect::postgres);
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return r.rows.front().i64(0);
}

awaitable<std::vector<OpportunityListRow>> OpportunityRepository::list(Session& s, const OpportunityFilter& f) {
  const bool pg = s.dialect() == Dialect::postgres;
  const std::string key = sort_column(f.sort);
  SqlBuilder q;
  q << "SELECT " << k_opportunity_columns << ", " << key << " FROM opportunities o";
  if (f.sort == domain::OpportunitySort::expected_start_date) q << " LEFT JOIN timelines t ON t.opportunity_id = o.id";
  q << " WHERE 1 = 1";
  add_filters(q, f, pg);
  const char* cmp = f.descending ? " < " : " > ";
  if (f.after) {
    Param k = f.sort == domain::OpportunitySort::priority ? Param{std::int64_t{std::stoll(f.after->first)}}
                                                          : Param{f.after->first};
    std::string kp = q.bind(std::move(k));
    std::string ip = q.bind(f.after->second);
    // The first bound is implied by the second; it is there so the planner starts the index scan
    // at the cursor instead of filtering every row before it (PostgreSQL cannot use the OR form
    // as an index condition: deep pages, such as an export's, would cost O(rows) each).
    q << " AND " << key << (f.descending ? " <= " : " >= ") << kp;
    q << " AND (" << key << cmp << kp << " OR (" << key << " = " << kp << " AND o.id" << cmp << ip << "))";
  }
  const char* dir = f.descending ? " DESC" : " ASC";
  q << " ORDER BY " << key << dir << ", o.id" << dir << " LIMIT " << q.bind(std::int64_t{f.limit});
  // A generic plan of a cached prepared statement cannot see how rare the words are and walks the
  // sort index, filtering every row; planned for the words, a rare code uses the trigram index.
  // An unnamed statement is planned for its values, in the same one round trip (and with no
  // session state, so it holds behind PgBouncer's transaction pooling too).
  Result r;
  if (f.text)
    r = co_await s.query_planned_for_values(q.sql(), std::move(q.params()));
  else
    r = co_await s.query(q.sql(), std::move(q.params()));
  std::vector<OpportunityListRow> out;
  out.reserve(r.rows.size());
  for (const Row& row : r.rows) out.push_back({read_root(row), row.str(k_column_count)});
  co_return out;
}

awaitable<std::vector<std::pair<domain::StatusRecord, std::int64_t>>> OpportunityRepository::status_records(
    Session& s, const std::string& opportunity_id, std::optional<std::pair<std::int64_t, std::string>> after,
    int limit) {
  Result r = co_await history_page(s,
                                   "SELECT id, opportunity_id, version, from_status, to_status, changed_at, "
                                   "changed_by, reason FROM status_records",
                                   opportunity_id, after, limit);
  std::vector<std::pair<domain::StatusRecord, std::int64_t>> out;
  for (const Row& row : r.rows) out.emplace_back(read_status_record(row), row.i64(2));
  co_return out;
}

awaitable<std::vector<std::pair<domain::ChangeRecord, std::int64_t>>> OpportunityRepository::change_records(
    Session& s, const std::string& opportunity_id, std::optional<std::pair<std::int64_t, std::string>> after,
    int limit) {
  Result r = co_await history_page(s,
                                   "SELECT id, opportunity_id, version, field, old_value, new_value, changed_at, "
                                   "changed_by, reason FROM change_records",
                                   opportunity_id, after, limit);
  std::vector<std::pair<domain::ChangeRecord, std::int64_t>> out;
  for (const Row& row : r.rows) out.emplace_back(read_change_record(row), row.i64(2));
  co_return out;
}

}  // namespace oms::storage
