"""Builders of valid requests and of resources in a given state, through the API only."""
import datetime

from support import rand

k_problem_statement = (
    "## The need\n\nThe customer runs **forty** on-premises Oracle databases and wants them on a "
    "managed service within two quarters, with *zero* data loss and a tested rollback plan.\n\n"
    "- assess the estate\n- design the landing zone\n- plan the cut-over")
assert len(k_problem_statement) >= 140

k_today = datetime.date.today()


def day(offset):
    """An ISO date `offset` days from today."""
    return (k_today + datetime.timedelta(days=offset)).isoformat()


# Far enough ahead that no opportunity "needs attention" because of its start date.
k_timeline = {
    "expected_start_date": day(120),
    "expected_end_date": day(240),
    "specific_required_days": [day(134), day(151)],
    "is_flexible": False,
}


def unique(prefix="t"):
    return f"{prefix}-{rand.uuid4().hex[:10]}"


def customer_body(**over):
    body = {
        "name": unique("Customer"),
        "industry": "Finance",
        "website": "https://example.com",
        "description": "A customer made by the API tests.",
        "primary_contact": {"name": "Pat Contact", "email": "pat@example.com", "phone": "+1 555 0100"},
    }
    body.update(over)
    return body


def opportunity_body(customer_id, **over):
    body = {
        "title": unique("Opportunity"),
        "description": "Move the customer's databases to a managed service.",
        "customer_id": customer_id,
        "priority": "HIGH",
        "annual_recurring_revenue": "125000.00",
        "currency": "USD",
        "geographic_requirements": {
            "region": "EMEA",
            "requires_physical_presence": False,
            "allows_remote_work": True,
        },
    }
    body.update(over)
    return body


def skill_body(**over):
    body = {
        "name": unique("Skill"),
        "category": "TECHNICAL",
        "subcategory": "Databases",
        "description": "A skill made by the API tests.",
        "synonyms": [],
        "related_skill_ids": [],
    }
    body.update(over)
    return body


def create_customer(client, **over):
    return client.post("/api/v1/customers", json=customer_body(**over), expect=201).json


def create_skill(admin, **over):
    return admin.post("/api/v1/skills", json=skill_body(**over), expect=201).json


def create_opportunity(client, customer_id, **over):
    return client.post("/api/v1/opportunities", json=opportunity_body(customer_id, **over), expect=201).json


def opp_path(opp_id, suffix=""):
    return f"/api/v1/opportunities/{opp_id}{suffix}"


def add_requirement(client, opp_id, skill_id, importance="MUST_HAVE", proficiency="ADVANCED", **kw):
    body = {"skill_id": skill_id, "importance": importance, "minimum_proficiency": proficiency}
    body.update(kw)
    return client.post(opp_path(opp_id, "/skill-requirements"), json=body, expect=201).json


def complete_draft(client, opp_id, skill_id, timeline=None):
    """Adds everything a submission needs."""
    client.put(opp_path(opp_id, "/problem-statement"), json={"content": k_problem_statement}, expect=200)
    add_requirement(client, opp_id, skill_id)
    return client.put(opp_path(opp_id, "/timeline"), json=timeline or k_timeline, expect=200).json


def transition(service, opp_id, status, **kw):
    body = {"status": status}
    body.update(kw)
    return service.post(opp_path(opp_id, "/status"), json=body, expect=200).json


k_system_path = ["MATCHING_IN_PROGRESS", "MATCHES_FOUND", "ARCHITECT_SELECTED", "COMPLETED"]


class Builder:
    """Makes opportunities of one owner in any status."""

    def __init__(self, owner, service, customer_id, skill_id):
        self.owner = owner
        self.service = service
        self.customer_id = customer_id
        self.skill_id = skill_id

    def draft(self, complete=False, timeline=None, **over):
        opp = create_opportunity(self.owner, self.customer_id, **over)
        if complete:
            opp = complete_draft(self.owner, opp["id"], self.skill_id, timeline)
        return opp

    def in_status(self, status, timeline=None, **over):
        if status == "DRAFT":
            return self.draft(**over)
        opp = self.draft(complete=True, timeline=timeline, **over)
        if status == "CANCELLED":
            self.owner.post(opp_path(opp["id"], "/submit"), expect=200)
            return self.owner.post(opp_path(opp["id"], "/cancel"), json={"reason": "Budget frozen"},
                                   expect=200).json
        opp = self.owner.post(opp_path(opp["id"], "/submit"), expect=200).json
        for step in k_system_path:
            if opp["status"] == status:
                break
            extra = {"selected_architect_id": str(rand.uuid4())} if step == "ARCHITECT_SELECTED" else {}
            opp = transition(self.service, opp["id"], step, **extra)
        assert opp["status"] == status
        return opp


def parse_time(text):
    """An RFC 3339 time from the API as an aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
