"""Store and credential failures answer 503 UNAVAILABLE with Retry-After and a coarse
problem+json, the cause in the log only, and record nothing (issue 11). oms runs on s3:// against
a local S3 (s3rver, which checks signatures) with its keys from an ECS container credentials
endpoint that hands out keys inside oms's refresh margin, so every signing fetches them again.
The test stops S3, then the credentials endpoint, and starts each again on the same port: the
same requests then succeed, so the failures destroyed nothing.

Which request needs what: the upload intent and the download only sign (credentials, no call to
S3); the complete step calls S3 (HEAD, and GET for the checksum s3rver does not keep) with
signed requests (credentials too)."""
import contextlib

import pytest

from support.attachments import (admin, complete, new_opportunity, put, sales_manager, start, upload_rows,
                                 wait_for_log)
from support.client import assert_problem
from support.factory import opp_path
from support.s3 import ContainerCredentials, S3rver, process_env
from support.server import own_server

k_bucket = "oms-attachments"
k_coarse = "The file store is unavailable; try again shortly."


@pytest.fixture(scope="module")
def env(oms_binary, tmp_path_factory, pytestconfig):
    data_dir = tmp_path_factory.mktemp("attachments-unavailable")
    s3 = S3rver(data_dir / "s3", k_bucket).start()
    credentials = ContainerCredentials(short_lived=True).start()
    try:
        with process_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=credentials.url, AWS_REGION="us-east-1",
                         AWS_SHARED_CREDENTIALS_FILE=str(data_dir / "no-such-file")):
            stack = contextlib.ExitStack()
            srv = stack.enter_context(own_server(
                oms_binary, pytestconfig.getoption("--store"), data_dir / "oms",
                extra_args=["--rate-limit-per-second", "0", "--attachments-url",
                            f"s3://{k_bucket}?endpoint={s3.endpoint}&region=us-east-1"]))
        with stack:
            yield srv, s3, credentials
    finally:
        credentials.stop()
        s3.stop()


def assert_unavailable(resp):
    assert_problem(resp, 503, "UNAVAILABLE")
    assert resp.headers["Retry-After"] == "1"
    assert resp.json["detail"] == k_coarse, "the cause stays in the log"


def test_s3_down_complete_is_503_and_records_nothing(env, openapi):
    srv, s3, _ = env
    sm = sales_manager(srv, openapi)
    opp = new_opportunity(sm)
    content = b"kept while S3 is away\n"
    intent = start(sm, opp, content).json
    assert put(intent, content).status_code == 200
    s3.stop()
    try:
        assert_unavailable(complete(sm, opp, intent["upload_id"]))
        assert sm.get(opp_path(opp, "/attachments"), expect=200).json["items"] == []
        assert upload_rows(srv, opp) == [(intent["upload_id"], False)]
        # Signing needs no call to S3: an intent still succeeds (its PUT would then fail at S3).
        assert start(sm, opp, content, expect=None).status == 201
        log = wait_for_log(srv, "S3 HeadObject: ")
        assert "The file store is unavailable; try again shortly. (S3 HeadObject: " in log
    finally:
        s3.start()
    # The object was neither deleted nor recorded: completing now works.
    done = complete(sm, opp, intent["upload_id"], expect=201).json
    assert [a["id"] for a in sm.get(opp_path(opp, "/attachments"), expect=200).json["items"]] == [done["id"]]
    audit_actions = [e["action"] for e in admin(srv, openapi).get(
        "/api/v1/admin/audit", params={"entity_id": done["id"]}, expect=200).json["items"]]
    assert audit_actions == ["attachment.create"]


def test_credentials_down_intent_complete_download_are_503_and_record_nothing(env, openapi):
    srv, _, credentials = env
    sm = sales_manager(srv, openapi)
    opp = new_opportunity(sm)
    first = b"the first file\n"
    intent = start(sm, opp, first).json
    assert put(intent, first).status_code == 200
    attachment = complete(sm, opp, intent["upload_id"], expect=201).json
    second = b"the second file\n"
    pending = start(sm, opp, second).json
    assert put(pending, second).status_code == 200
    rows = upload_rows(srv, opp)
    assert rows == sorted([(intent["upload_id"], True), (pending["upload_id"], False)])
    fetches = credentials.fetches

    credentials.stop()
    try:
        assert_unavailable(start(sm, opp, b"a third file\n", expect=None))
        assert_unavailable(complete(sm, opp, pending["upload_id"]))
        assert_unavailable(sm.get(opp_path(opp, f"/attachments/{attachment['id']}/download")))
        assert_unavailable(sm.get(opp_path(opp, f"/attachments/{attachment['id']}/download"),
                                  params={"redirect": "false"}))
        # Nothing recorded: no new upload row, the pending one still open, one attachment.
        assert upload_rows(srv, opp) == rows
        assert [a["id"] for a in sm.get(opp_path(opp, "/attachments"), expect=200).json["items"]] == \
            [attachment["id"]]
        log = wait_for_log(srv, "AWS credentials: ")
        assert "(AWS credentials: " in log
    finally:
        credentials.start()
    assert credentials.fetches == fetches  # the stopped endpoint served nothing
    done = complete(sm, opp, pending["upload_id"], expect=201).json
    assert sm.get(opp_path(opp, f"/attachments/{done['id']}/download"), expect=302).headers["Location"]
    assert credentials.fetches > fetches
