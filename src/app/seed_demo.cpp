// Demo data for the embedded default: a realistic skills catalog and two customers.
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/services.hpp"
#include "app/unit_of_work.hpp"
#include "storage/repositories/customer_repository.hpp"
#include "storage/repositories/skill_repository.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::SkillCategory;

namespace {

struct DemoSkill {
  const char* name;
  SkillCategory category;
  const char* subcategory;
  const char* description;
  std::vector<std::string> synonyms;
};

const std::vector<DemoSkill>& demo_skills() {
  using C = SkillCategory;
  static const std::vector<DemoSkill> all{
      {"AWS", C::technical, "Cloud", "Amazon Web Services architecture and operations", {"Amazon Web Services"}},
      {"Microsoft Azure", C::technical, "Cloud", "Azure platform services", {"Azure"}},
      {"Google Cloud Platform", C::technical, "Cloud", "Google Cloud services", {"GCP", "Google Cloud"}},
      {"Kubernetes", C::technical, "Containers", "Container orchestration", {"K8s", "EKS", "AKS", "GKE"}},
      {"Docker", C::technical, "Containers", "Container images and runtimes", {"Containers"}},
      {"Terraform", C::technical, "Infrastructure as Code", "HashiCorp Terraform", {"HCL", "IaC"}},
      {"AWS CDK", C::technical, "Infrastructure as Code", "AWS Cloud Development Kit", {"CDK"}},
      {"PostgreSQL", C::technical, "Databases", "Relational database design and tuning", {"Postgres", "PSQL"}},
      {"MySQL", C::technical, "Databases", "MySQL and MariaDB", {"MariaDB"}},
      {"Oracle Database", C::technical, "Databases", "Oracle RDBMS", {"Oracle", "PL/SQL"}},
      {"MongoDB", C::technical, "Databases", "Document databases", {"Mongo"}},
      {"Redis", C::technical, "Databases", "In-memory data store and caching", {"ElastiCache"}},
      {"Apache Kafka", C::technical, "Data", "Event streaming platforms", {"Kafka", "MSK"}},
      {"Apache Spark", C::technical, "Data", "Distributed data processing", {"Spark", "PySpark"}},
      {"Snowflake", C::technical, "Data", "Cloud data warehousing", {"Data Warehouse"}},
      {"Machine Learning", C::technical, "AI", "Model training, evaluation and deployment", {"ML", "SageMaker"}},
      {"Generative AI", C::technical, "AI", "Large language models and retrieval", {"GenAI", "LLM", "Bedrock"}},
      {"Java", C::technical, "Programming", "Java and the JVM ecosystem", {"JVM", "Spring"}},
      {"Python", C::technical, "Programming", "Python development", {"Django", "FastAPI"}},
      {"C++", C::technical, "Programming", "Modern C++ systems programming", {"CPP", "C plus plus"}},
      {"TypeScript", C::technical, "Programming", "TypeScript and Node.js", {"Node.js", "JavaScript"}},
      {"Go", C::technical, "Programming", "Go services", {"Golang"}},
      {"Networking", C::technical, "Infrastructure", "VPC design, routing, DNS and load balancing", {"VPC", "TCP/IP"}},
      {"Security Architecture",
       C::technical,
       "Security",
       "Identity, encryption and threat modelling",
       {"IAM", "Cybersecurity"}},
      {"Serverless", C::technical, "Cloud", "Functions and managed event services", {"Lambda", "FaaS"}},
      {"CI/CD", C::technical, "DevOps", "Build and deployment pipelines", {"Continuous Delivery", "DevOps"}},
      {"SAP", C::technical, "Enterprise", "SAP landscapes and migrations", {"S/4HANA"}},
      {"Communication", C::soft, nullptr, "Clear written and spoken communication", {"Presentation"}},
      {"Negotiation", C::soft, nullptr, "Commercial and technical negotiation", {"Deal making"}},
      {"Stakeholder Management", C::soft, nullptr, "Working with executives and sponsors", {"Executive presence"}},
      {"Leadership", C::soft, nullptr, "Leading teams and workshops", {"Team lead"}},
      {"Workshop Facilitation", C::soft, nullptr, "Running discovery and design workshops", {"Facilitation"}},
      {"Problem Solving", C::soft, nullptr, "Structured analysis of complex problems", {"Critical thinking"}},
      {"Banking", C::industry, "Financial Services", "Retail and investment banking", {"Finance", "FinServ"}},
      {"Insurance", C::industry, "Financial Services", "Insurance carriers and brokers", {"Insurtech"}},
      {"Healthcare", C::industry, "Life Sciences", "Providers, payers and health data", {"HIPAA", "Health"}},
      {"Retail", C::industry, "Consumer", "Retail and e-commerce", {"E-commerce", "eCommerce"}},
      {"Manufacturing", C::industry, "Industrial", "Discrete and process manufacturing", {"Industry 4.0"}},
      {"Telecommunications", C::industry, "Media", "Carriers and network operators", {"Telco", "Telecom"}},
      {"Public Sector", C::industry, "Government", "Government and education", {"Government", "GovCloud"}},
      {"Energy", C::industry, "Utilities", "Energy and utilities", {"Utilities", "Oil and Gas"}},
      {"English", C::language, nullptr, "English language", {"EN"}},
      {"German", C::language, nullptr, "German language", {"Deutsch", "DE"}},
      {"Spanish", C::language, nullptr, "Spanish language", {"Español", "ES"}},
      {"French", C::language, nullptr, "French language", {"Français", "FR"}},
      {"Japanese", C::language, nullptr, "Japanese language", {"日本語", "JA"}},
      {"Portuguese", C::language, nullptr, "Portuguese language", {"Português", "PT"}},
      {"Mandarin Chinese", C::language, nullptr, "Mandarin Chinese language", {"Chinese", "ZH"}},
  };
  return all;
}

}  // namespace

awaitable<void> seed_demo(Ports ports) {
  UnitOfWork uow(ports, "system", "seed");
  co_await uow.begin();
  auto& s = uow.session();
  if (co_await storage::SkillRepository::count(s) == 0) {
    for (const auto& d : demo_skills()) {
      domain::Skill k;
      k.id = uow.new_id();
      k.name = d.name;
      k.category = d.category;
      if (d.subcategory) k.subcategory = d.subcategory;
      k.description = d.description;
      k.synonyms = d.synonyms;
      k.created_at = uow.now();
      k.updated_at = uow.now();
      co_await storage::SkillRepository::insert(s, k);
      AuditSpec audit{"skill.create", "skill", k.id, std::nullopt, json::serialize(skill_json(k))};
      co_await uow.audit(audit);
    }
  }
  if (co_await storage::CustomerRepository::count(s) == 0) {
    std::vector<domain::Customer> customers(2);
    customers[0].name = "Northwind Bank";
    customers[0].industry = "Banking";
    customers[0].website = "https://northwind-bank.example";
    customers[0].description = "Regional retail bank modernising its core platform.";
    customers[0].primary_contact = domain::Contact{"Ada Lovelace", "ada@northwind-bank.example", "+1 555 0100"};
    customers[1].name = "Contoso Health";
    customers[1].industry = "Healthcare";
    customers[1].website = "https://contoso-health.example";
    customers[1].description = "Hospital group moving patient analytics to the cloud.";
    customers[1].primary_contact = domain::Contact{"Grace Hopper", "grace@contoso-health.example", "+1 555 0101"};
    for (auto& c : customers) {
      c.id = uow.new_id();
      c.created_by = "system";
      c.created_at = uow.now();
      c.updated_at = uow.now();
      co_await storage::CustomerRepository::insert(s, c);
      AuditSpec audit{"customer.create", "customer", c.id, std::nullopt, json::serialize(customer_json(c))};
      co_await uow.audit(audit);
    }
  }
  co_await uow.commit();
}

}  // namespace oms::app
