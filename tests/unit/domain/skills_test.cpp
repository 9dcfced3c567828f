// Catalog, customer and e-mail shape rules.
#include <gtest/gtest.h>

#include "domain/validation.hpp"
#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

constexpr std::array<Proficiency, 8> k_all_proficiencies{
    Proficiency::beginner, Proficiency::intermediate,   Proficiency::advanced, Proficiency::expert,
    Proficiency::basic,    Proficiency::conversational, Proficiency::fluent,   Proficiency::native};
constexpr std::array<SkillCategory, 4> k_all_categories{SkillCategory::technical, SkillCategory::soft,
                                                        SkillCategory::industry, SkillCategory::language};

bool is_language_scale(Proficiency p) {
  const auto name = to_string(p);
  return name == "BASIC" || name == "CONVERSATIONAL" || name == "FLUENT" || name == "NATIVE";
}

TEST(Proficiency, ScaleMatchesCategoryForEveryPair) {
  for (auto category : k_all_categories) {
    for (auto p : k_all_proficiencies) {
      const bool expected = (category == SkillCategory::language) == is_language_scale(p);
      EXPECT_EQ(proficiency_fits(category, p), expected) << to_string(category) << " " << to_string(p);
      Validator v;
      check_proficiency(v, "minimum_proficiency", category, p);
      EXPECT_EQ(v.ok(), expected);
      if (!expected) {
        ASSERT_EQ(v.errors().size(), 1u);
        EXPECT_EQ(v.errors()[0].field, "minimum_proficiency");
      }
    }
  }
}

Skill valid_skill() {
  Skill s;
  s.id = "6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a21";
  s.name = "Kubernetes";
  s.category = SkillCategory::technical;
  s.description = "Container orchestration";
  s.synonyms = {"k8s"};
  s.related_skill_ids = {"0b5d8b1e-6f43-4a9f-8e0c-6c1f2e3d4a5b"};
  return s;
}

TEST(Skill, ValidSkillPasses) {
  Validator v;
  check_skill(v, valid_skill());
  EXPECT_TRUE(v.ok());
}

TEST(Skill, EveryProblemIsNamed) {
  Skill s = valid_skill();
  s.name = " ";
  s.subcategory = "";
  s.synonyms = {"ok", ""};
  s.related_skill_ids = {"not-a-uuid", s.id};
  Validator v;
  check_skill(v, s);
  EXPECT_EQ(v.errors().size(), 5u);
  EXPECT_TRUE(testing::has_field(v.errors(), "name"));
  EXPECT_TRUE(testing::has_field(v.errors(), "subcategory"));
  EXPECT_TRUE(testing::has_field(v.errors(), "synonyms[1]"));
  EXPECT_TRUE(testing::has_field(v.errors(), "related_skill_ids[0]"));
  EXPECT_TRUE(testing::has_field(v.errors(), "related_skill_ids[1]"));
}

TEST(Skill, NameLengthInCodePoints) {
  Skill s = valid_skill();
  s.name = testing::repeat("\xE6\x97\xA5", 100);
  Validator ok;
  check_skill(ok, s);
  EXPECT_TRUE(ok.ok());
  s.name += "a";
  Validator too_long;
  check_skill(too_long, s);
  EXPECT_TRUE(testing::has_field(too_long.errors(), "name"));
}

Customer valid_customer() {
  Customer c;
  c.name = "ACME Corp";
  c.industry = "Manufacturing";
  c.website = "https://acme.example";
  c.primary_contact = Contact{"Wile E. Coyote", "wile@acme.example", "+1 (555) 010-0000"};
  return c;
}

TEST(Customer, ValidCustomerPasses) {
  Validator v;
  check_customer(v, valid_customer());
  EXPECT_TRUE(v.ok());
}

TEST(Customer, ContactDetailsAreOptional) {
  Customer c = valid_customer();
  c.website.reset();
  c.primary_contact = Contact{"Road Runner", "", ""};
  Validator v;
  check_customer(v, c);
  EXPECT_TRUE(v.ok());
}

TEST(Customer, EveryProblemIsNamed) {
  Customer c = valid_customer();
  c.name = "";
  c.industry = "";
  c.website = "ftp://acme.example";
  c.primary_contact = Contact{"", "not-an-email", "call me"};
  Validator v;
  check_customer(v, c);
  EXPECT_EQ(v.errors().size(), 6u);
  for (const char* field :
       {"name", "industry", "website", "primary_contact.name", "primary_contact.email", "primary_contact.phone"})
    EXPECT_TRUE(testing::has_field(v.errors(), field)) << field;
}

TEST(Email, AcceptsPragmaticAddresses) {
  for (const char* e :
       {"a@b.co", "first.last@example.com", "x+tag@sub.example.org", "o'neil@example.ie", "user_1@my-host.example"})
    EXPECT_TRUE(is_email(e)) << e;
}

TEST(Email, RejectsMalformedAddresses) {
  for (const char* e : {"",
                        "plain",
                        "@example.com",
                        "a@",
                        "a@example",
                        "a@@example.com",
                        "a@b@example.com",
                        "a b@example.com",
                        "a@exa mple.com",
                        "a@example.c",
                        "a@-example.com",
                        "a@example-.com",
                        "a@example..com",
                        ".a@example.com",
                        "a.@example.com",
                        "a..b@example.com",
                        "a@example.com.",
                        "a@example.123",
                        "<a@example.com>",
                        "a@example.com\n"})
    EXPECT_FALSE(is_email(e)) << e;
}

TEST(Email, AtMost254CharactersAndLocalPartAtMost64) {
  const std::string domain = testing::repeat("a", 60) + "." + testing::repeat("b", 60) + "." +
                             testing::repeat("c", 60) + ".com";  // 186 characters
  const std::string local(64, 'x');
  EXPECT_TRUE(is_email(local + "@" + domain));       // 251
  EXPECT_TRUE(is_email(local + "@dd." + domain));    // 254
  EXPECT_FALSE(is_email(local + "@ddd." + domain));  // 255
  EXPECT_FALSE(is_email(local + "x@" + domain));     // local part of 65
}

}  // namespace
}  // namespace oms::domain
