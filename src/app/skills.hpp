#pragma once
// Use cases of the skills catalog, customers, users and the audit log.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

struct SkillInput {
  std::string name;
  domain::SkillCategory category{};
  std::optional<std::string> subcategory;
  std::string description;
  std::vector<std::string> synonyms;
  std::vector<std::string> related_skill_ids;
};

struct SkillPatch {
  std::optional<std::string> name;
  std::optional<domain::SkillCategory> category;
  std::optional<std::optional<std::string>> subcategory;  // set, or set to null
  std::optional<std::string> description;
  std::optional<bool> is_active;
  std::optional<std::vector<std::string>> synonyms;
  std::optional<std::vector<std::string>> related_skill_ids;
};

struct SkillQuery {
  std::optional<domain::SkillCategory> category;
  std::optional<std::string> text;  // name and synonyms, case-insensitive substring
  bool include_inactive = false;
  PageRequest page;
};

class Skills {
 public:
  explicit Skills(Ports ports) : ports_(ports) {}
  awaitable<Page<domain::Skill>> list(const Ctx&, const SkillQuery&);
  awaitable<domain::Skill> get(const Ctx&, const std::string& id);
  awaitable<Created<domain::Skill>> create(const Ctx&, SkillInput, std::optional<IdempotencyKey>);  // admin
  awaitable<domain::Skill> update(const Ctx&, const std::string& id, SkillPatch);                   // admin

 private:
  Ports ports_;
};

struct CustomerInput {
  std::string name;
  std::string industry;
  std::optional<std::string> website;
  std::optional<std::string> description;
  std::optional<domain::Contact> primary_contact;
};

class Customers {
 public:
  explicit Customers(Ports ports) : ports_(ports) {}
  awaitable<Created<domain::Customer>> create(const Ctx&, CustomerInput, std::optional<IdempotencyKey>);
  awaitable<Page<domain::Customer>> list(const Ctx&, std::optional<std::string> name_query, PageRequest);
  awaitable<domain::Customer> get(const Ctx&, const std::string& id);

 private:
  Ports ports_;
};

class Users {
 public:
  explicit Users(Ports ports) : ports_(ports) {}
  // Called on every authenticated request: records the user on first sight (and refreshes
  // name, email, role when the token says otherwise). Throws FORBIDDEN if deactivated.
  awaitable<domain::User> touch(const domain::Principal&);
  awaitable<domain::User> me(const Ctx&);
  awaitable<Page<domain::User>> list(const Ctx&, PageRequest);                                 // admin
  awaitable<domain::User> set_active(const Ctx&, const std::string& user_id, bool is_active);  // admin

 private:
  awaitable<domain::User> touch_database(const domain::Principal&);
  Ports ports_;
};

struct AuditEntry {
  std::int64_t seq = 0;
  std::string id;
  domain::Timestamp at{};
  std::string actor_id;
  std::string action;       // e.g. "opportunity.create", "opportunity.submit"
  std::string entity_type;  // "opportunity", "skill", "customer", "user"
  std::string entity_id;
  std::string request_id;
  std::optional<std::string> before;  // JSON text
  std::optional<std::string> after;   // JSON text
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> actor_id;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
  PageRequest page;
};

struct AuditVerification {
  bool valid = true;
  std::int64_t entries_checked = 0;
  std::optional<std::int64_t> first_broken_seq;
  std::optional<std::string> problem;
};

class Audit {
 public:
  explicit Audit(Ports ports) : ports_(ports) {}
  awaitable<Page<AuditEntry>> list(const Ctx&, const AuditQuery&);  // admin
  awaitable<AuditVerification> verify(const Ctx&);                  // admin

 private:
  Ports ports_;
};

}  // namespace oms::app
