"""Customers: unique names and search."""

from support.client import assert_problem
from support.factory import (create_customer, customer_body)
from support import rand


def test_duplicate_customer_name_case_insensitive(api):
    customer = create_customer(api("sm1"))
    resp = api("admin").post("/api/v1/customers", json=customer_body(name=customer["name"].swapcase()))
    assert_problem(resp, 409, "DUPLICATE")


def test_customer_list_query_on_name(api):
    marker = rand.uuid4().hex[:8]
    c = create_customer(api("sm1"), name=f"Initech {marker}")
    items = api("sm2").get("/api/v1/customers", params={"query": f"initech {marker}"}, expect=200).json["items"]
    assert [x["id"] for x in items] == [c["id"]]
