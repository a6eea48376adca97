"""The service set up for the extension: its origin (chrome-extension://<id>) on the CORS allow-list, as the README says.

The extension's background script calls the service with that origin. Where the browser has given it
access to the service's site the answer is read whatever its CORS headers; where it has not (a
user or an administrator narrowed its site access), the allow-list is what lets the answer through.
"""

from __future__ import annotations

import pytest

from recqual.service import create_app

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
KEY = "test-key-not-a-secret"


@pytest.fixture()
def client():
    app = create_app({"RECQUAL_API_KEY": KEY, "RECQUAL_CORS_ORIGINS": f"https://cms.example.org, {EXTENSION}"})
    yield app.test_client()
    app.extensions["recqual"].pool.close()


def test_the_extension_may_send_its_check_with_the_key_header(client):
    preflight = client.options(
        "/v1/check", headers={"Origin": EXTENSION, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-api-key"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == EXTENSION
    allowed = {h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "x-api-key"} <= allowed and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_the_extensions_origin_gets_the_answer_and_another_extension_does_not(client):
    answer = client.get("/v1/rules", headers={"Origin": EXTENSION, "X-API-Key": KEY})
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == EXTENSION
    other = client.get("/v1/rules", headers={"Origin": "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba", "X-API-Key": KEY})
    assert "Access-Control-Allow-Origin" not in other.headers
