#pragma once
// Every use case group, built once from the ports and handed to the HTTP layer.
#include "app/attachments.hpp"
#include "app/audit.hpp"
#include "app/customers.hpp"
#include "app/data_subjects.hpp"
#include "app/exports.hpp"
#include "app/jobs.hpp"
#include "app/opportunities.hpp"
#include "app/skills.hpp"
#include "app/users.hpp"

namespace oms::app {

struct Services {
  explicit Services(Ports p, objects::ObjectStore* attachment_store = nullptr,
                    objects::ObjectStore* export_store = nullptr)
      : ports(p),
        opportunities(p),
        skills(p),
        customers(p),
        users(p),
        data_subjects(p),
        audit(p),
        jobs(p),
        attachments(p, attachment_store),
        exports(p, export_store) {}
  Ports ports;
  Opportunities opportunities;
  Skills skills;
  Customers customers;
  Users users;
  DataSubjects data_subjects;  // the requests; the worker runs them with the exports store
  Audit audit;
  Jobs jobs;
  Attachments attachments;
  Exports exports;
};

// Demo data for the embedded default: a skills catalog of at least 40 skills over the four
// categories and two customers. Idempotent (does nothing when skills already exist).
awaitable<void> seed_demo(Ports ports);

}  // namespace oms::app
