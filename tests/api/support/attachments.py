"""Helpers of the s3:// attachment tests: a sales manager, an opportunity, an upload through
oms's flow, and what the database holds of an opportunity's uploads."""
import hashlib
import sqlite3
import time

import requests

from support import rand
from support.client import Api
from support.factory import create_customer, create_opportunity, opp_path


def sales_manager(srv, openapi):
    sub = str(rand.uuid4())
    sm = Api(srv.base_url, openapi, srv.token("SALES_MANAGER", sub, "sm", f"sm.{sub[:8]}@example.com"))
    sm.get("/api/v1/me", expect=200)
    sm.sub = sub
    return sm


def admin(srv, openapi):
    sub = str(rand.uuid4())
    return Api(srv.base_url, openapi, srv.token("ADMIN", sub, "admin", f"admin.{sub[:8]}@example.com"))


def new_opportunity(sm):
    return create_opportunity(sm, create_customer(sm)["id"])["id"]


def intent_body(content, **over):
    body = {"file_name": "notes.txt", "content_type": "text/plain", "size_bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest()}
    body.update(over)
    return body


def start(sm, opp, content, expect=201, **over):
    return sm.post(opp_path(opp, "/attachments/uploads"), json=intent_body(content, **over), expect=expect)


def put(intent, body, headers=None):
    """The client's PUT to the signed URL (requests, as a browser or script would)."""
    return requests.put(intent["url"], data=body, headers=intent["headers"] if headers is None else headers,
                        timeout=30)


def complete(sm, opp, upload_id, expect=None):
    return sm.post(opp_path(opp, "/attachments"), json={"upload_id": upload_id}, expect=expect)


def upload_rows(srv, opp):
    """(id, completed) of every upload row of `opp`, straight from the database."""
    sql = f"SELECT id, completed_at IS NOT NULL FROM attachment_uploads WHERE opportunity_id = '{opp}' ORDER BY id"
    if srv.db.store == "sqlite":
        with sqlite3.connect(srv.db.sqlite_path) as db:
            return [(r[0], bool(r[1])) for r in db.execute(sql)]
    out = srv.db.psql(sql)
    return [(line.split("|")[0], line.split("|")[1] == "t") for line in out.splitlines() if line]


def wait_for_log(srv, text, seconds=5.0):
    """The server's log once it holds `text` (lines are written asynchronously), else its tail."""
    deadline = time.monotonic() + seconds
    while True:
        log = srv.log_tail(1_000_000)
        if text in log or time.monotonic() > deadline:
            return log
        time.sleep(0.05)
