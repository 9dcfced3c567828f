"""Searching opportunities (`query` of GET /api/v1/opportunities) over HTTP, on either store.

The full table of tricky inputs runs below the API, on both stores, in
tests/integration/app/search_test.cpp; here the contract is checked end to end: codes and parts
of words are found, case and accents are ignored, metacharacters are literal, blank is a 400;
rows another program wrote are found once `oms search-index` has indexed them."""
import contextlib
import sqlite3
import uuid

import pytest

from support import rand
from support.client import Api, assert_problem
from support.factory import create_customer, create_opportunity
from support.server import own_server, run_cli


# Words of the table's fixed queries that a random hex code could contain by chance.
k_fixed_words = ("4e7b", "1e10", "0x1f")


def random_code(prefix, digits):
    """prefix + random hex digits, never matching a fixed query below (else that row would also find
    it: "0x" + "1fb17e83" matched "0x1f" once in CI)."""
    while True:
        code = prefix + rand.hex_digits(digits)
        if not any(word in code for word in k_fixed_words):
            return code


@pytest.fixture(scope="module")
def corpus(api):
    """Opportunities of one fresh customer: a list filtered by it sees nothing else."""
    sm1 = api("sm1")
    customer = create_customer(sm1)
    titles = ["Opportunity-4e7b2a91c0", "Exponent 1e10 rollout", "Register 0x1F", "Caf\u00e9 cr\u00e8me",
              "Discount 100%", "snake_case naming", "O'Brien account"]
    # Random hex codes like the ones unique() makes, some shaped like numbers (1e5, 0x..).
    codes = [random_code("", 10) for _ in range(6)] + [random_code("1e5", 7), random_code("0x", 8)]
    titles += [f"Opportunity-{code}" for code in codes]
    for title in titles:
        create_opportunity(sm1, customer["id"], title=title)
    return {"customer_id": customer["id"], "codes": codes}


def found(api, corpus, query):
    items = api("sm1").get("/api/v1/opportunities", params={"query": query, "customer_id": corpus["customer_id"],
                                                            "limit": 100}, expect=200).json["items"]
    return sorted(o["title"] for o in items)


@pytest.mark.parametrize("query, titles", [
    ("4e7b", ["Opportunity-4e7b2a91c0"]),
    ("opportunity-4e7b2a91c0", ["Opportunity-4e7b2a91c0"]),
    ("1E10", ["Exponent 1e10 rollout"]),
    ("0x1f", ["Register 0x1F"]),
    ("cafe CREME", ["Caf\u00e9 cr\u00e8me"]),
    ("%", ["Discount 100%"]),
    ("_", ["snake_case naming"]),
    ("e_c", ["snake_case naming"]),
    ("a_e", []),
    ("o'b", ["O'Brien account"]),
    ("  rollout  ", ["Exponent 1e10 rollout"]),
    ("rollout 0x1f", []),
])
def test_search_finds_codes_and_parts_of_words(api, corpus, query, titles):
    assert found(api, corpus, query) == titles


def test_search_finds_every_random_code_whole_and_in_part(api, corpus):
    for code in corpus["codes"]:
        title = f"Opportunity-{code}"
        assert found(api, corpus, code) == [title], code
        assert title in found(api, corpus, code[:4]), code  # other codes may share a prefix
        assert title in found(api, corpus, code[3:8].upper()), code


@pytest.mark.parametrize("query", ["", "   ", "\t", "x" * 201])
def test_blank_or_too_long_query_is_rejected(api, query):
    resp = api("sm1").get("/api/v1/opportunities", params={"query": query})
    assert_problem(resp, 400, "VALIDATION_ERROR", "query")


def test_rows_another_program_wrote_are_found_after_oms_search_index(oms_binary, store, openapi, tmp_path):
    """An import writes opportunities into the SQLite file behind oms's back: since migration 0010
    they wait in the search queue for oms's next write transaction. `oms search-index` indexes them
    with oms's own fold (accents and case ignored) while oms serves, and says so; run again, it finds
    the queue empty. PostgreSQL indexes as it writes: nothing to do."""
    with own_server(oms_binary, store, tmp_path / "oms") as srv:
        if store != "sqlite":
            assert "nothing to do" in run_cli(oms_binary, ["search-index", *srv.common_args()])
            return
        sm = Api(srv.base_url, openapi, srv.token("SALES_MANAGER", str(rand.uuid4()), "Import SM", "imp@example.com"))
        customer = create_customer(sm)
        template = create_opportunity(sm, customer["id"], title="Template")
        code = rand.hex_digits(10)
        titles = [f"Cr\u00e8me Br\u00fbl\u00e9e {code}", f"Imported-{code}"]
        with contextlib.closing(sqlite3.connect(srv.db.sqlite_path, timeout=30)) as c:
            cols = [r[1] for r in c.execute("PRAGMA table_info(opportunities)") if r[1] not in ("id", "title")]
            rowids = []
            for title in titles:
                cur = c.execute(f"INSERT INTO opportunities (id, title, {', '.join(cols)}) "
                                f"SELECT ?, ?, {', '.join(cols)} FROM opportunities WHERE id = ?",
                                (str(uuid.uuid4()), title, template["id"]))
                rowids.append(cur.lastrowid)
            c.commit()
            assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 2

        out = run_cli(oms_binary, ["search-index", *srv.common_args()])
        assert "indexed 2 queued opportunities" in out and "merged" in out, out
        with contextlib.closing(sqlite3.connect(srv.db.sqlite_path, timeout=30)) as c:
            assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
            text = c.execute("SELECT search_text FROM opportunity_search WHERE rowid = ?", (rowids[0],)).fetchone()
            assert text and text[0].startswith(f"creme brulee {code}"), text  # oms's fold, not Python's
        assert "is empty" in run_cli(oms_binary, ["search-index", *srv.common_args()])

        def titles_found(query):
            items = sm.get("/api/v1/opportunities", params={"query": query, "customer_id": customer["id"]},
                           expect=200).json["items"]
            return sorted(o["title"] for o in items)

        assert titles_found(f"CREME brulee {code}") == [titles[0]]
        assert titles_found(code) == sorted(titles)
