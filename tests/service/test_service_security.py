"""Children's records: the API key, CORS allow-list, size and time limits, headers, and no record text in logs, errors or on disk."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import urllib.error
import urllib.request

import pytest
import waitress
import werkzeug.formparser

from recqual.service import create_app, worker
from recqual.service.config import ConfigError
from recqual.service.server import server_options

# A fictional sentence no template or message could contain by chance.
SECRET = "Zephyrine Quillfeather told the panel about the marmalade lighthouse on Tuesday."


def test_with_a_key_configured_only_requests_carrying_it_are_answered(make_app, record_text):
    client = make_app(RECQUAL_API_KEY="s3cret-key", RECQUAL_WORKERS=1).test_client()
    for headers, status in [
        ({}, 401),
        ({"X-API-Key": "wrong"}, 401),
        ({"Authorization": "Bearer s3cret-kez"}, 401),
        ({"X-API-Key": "s3cret-key"}, 200),
        ({"Authorization": "Bearer s3cret-key"}, 200),
    ]:
        response = client.post("/v1/check", json={"text": record_text}, headers=headers)
        assert response.status_code == status, headers
        if status == 401:
            assert response.get_json()["error"]["code"] == "unauthorized" and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/v1/rules").status_code == 401
    assert client.get("/v1/health").status_code == 200  # a load balancer's probe needs no key


def test_a_key_with_non_ascii_characters_is_compared_safely(make_app):
    client = make_app(RECQUAL_API_KEY="clé-secrète").test_client()
    assert client.get("/v1/rules", headers={"Authorization": "Bearer clé-secrète"}).status_code == 200
    assert client.get("/v1/rules", headers={"Authorization": "Bearer cle-secrete"}).status_code == 401


def test_cors_headers_go_only_to_configured_origins(make_app):
    client = make_app(RECQUAL_CORS_ORIGINS="https://cms.example.org, https://notes.example.org", RECQUAL_API_KEY="k").test_client()
    allowed = client.get("/v1/health", headers={"Origin": "https://cms.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://cms.example.org" and "Origin" in allowed.headers["Vary"]
    other = client.get("/v1/health", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in other.headers
    # A browser's preflight carries no key; it must be answered so that the real request can follow.
    preflight = client.options("/v1/check", headers={"Origin": "https://notes.example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "https://notes.example.org"
    assert "X-API-Key" in preflight.headers["Access-Control-Allow-Headers"] and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    refused = client.options("/v1/check", headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_no_origin_is_allowed_by_default_and_a_wildcard_is_refused(client):
    assert "Access-Control-Allow-Origin" not in client.get("/v1/health", headers={"Origin": "https://cms.example.org"}).headers
    with pytest.raises(ConfigError, match="RECQUAL_CORS_ORIGINS"):
        create_app({"RECQUAL_CORS_ORIGINS": "*"})


@pytest.mark.parametrize("value, name", [("abc", "RECQUAL_TIMEOUT"), ("0", "RECQUAL_WORKERS"), ("-5", "RECQUAL_MAX_REQUEST_BYTES")])
def test_a_bad_setting_is_refused_when_the_app_is_built(value, name):
    with pytest.raises(ConfigError, match=name):
        create_app({name: value})


def test_an_oversized_request_is_413_with_the_limit_in_the_message(make_app):
    client = make_app(RECQUAL_MAX_REQUEST_BYTES=1000).test_client()
    for kwargs in ({"json": {"text": "x" * 2000}}, {"data": {"file": (io.BytesIO(b"x" * 2000), "big.txt")}, "content_type": "multipart/form-data"}):
        response = client.post("/v1/check", **kwargs)
        assert response.status_code == 413
        error = response.get_json()["error"]
        assert error["code"] == "too_large" and "1,000 bytes" in error["message"]


@pytest.mark.parametrize(
    "method, path, kwargs, status",
    [
        ("get", "/", {}, 200),
        ("get", "/static/app.js", {}, 200),
        ("get", "/v1/health", {}, 200),
        ("get", "/v1/rules", {}, 401),
        ("get", "/v1/nowhere", {}, 404),
        ("get", "/v1/check", {}, 405),
        ("post", "/v1/check", {"json": {"text": "x" * 200}, "headers": {"X-API-Key": "k"}}, 413),
        ("post", "/v1/check", {"data": "x", "content_type": "text/plain", "headers": {"X-API-Key": "k"}}, 415),
    ],
)
def test_every_response_carries_the_security_headers(make_app, method, path, kwargs, status):
    client = make_app(RECQUAL_API_KEY="k", RECQUAL_MAX_REQUEST_BYTES=100).test_client()
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"


def test_a_check_over_the_time_limit_is_stopped_and_the_worker_replaced(make_app, record_text):
    # One worker: if the overrunning analysis were only abandoned, not stopped, the next request
    # would queue behind it for the several seconds a record this size takes.
    # A limit of 2 s: generous for a normal check on a loaded 2-core CI machine, far below the
    # tens of seconds the huge record would take if it were allowed to run.
    client = make_app(RECQUAL_TIMEOUT=2, RECQUAL_WORKERS=1).test_client()
    huge = record_text * 160  # about 1 MB: several seconds of analysis
    started = time.perf_counter()
    response = client.post("/v1/check", json={"text": huge})
    assert response.status_code == 504 and time.perf_counter() - started < 4.0
    error = response.get_json()["error"]
    assert error["code"] == "timeout" and "2 seconds" in error["message"]
    started = time.perf_counter()
    assert client.post("/v1/check", json={"text": record_text[:3000]}).status_code == 200
    assert time.perf_counter() - started < 4.0


def test_no_record_text_reaches_the_log_or_an_error(make_app, record_text, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    client = make_app(RECQUAL_TIMEOUT=2, RECQUAL_WORKERS=1).test_client()
    text = record_text.replace("Why the date:", SECRET + " Why the date:", 1)
    responses = [
        client.post("/v1/check", json={"text": text}),  # a normal check
        client.post("/v1/check", json={"text": text, "review_date": SECRET}),  # a bad field value
        client.post("/v1/check", json={"text": text, SECRET[:30]: "x"}),  # an unknown field (named, cut short)
        client.post("/v1/check", data={"file": (io.BytesIO(b"\x00\x01\x02" + SECRET.encode() * 10), "draft.txt")}, content_type="multipart/form-data"),
        client.post("/v1/check", json={"text": text * 160}),  # stopped by the time limit
        client.post("/v1/check", data=SECRET, content_type="text/plain"),
    ]
    assert [r.status_code for r in responses] == [200, 400, 400, 422, 504, 415]
    for response in responses[1:]:
        assert "Zephyrine" not in response.get_data(as_text=True)
    logged = caplog.text + "".join(capfd.readouterr())
    assert "POST /v1/check 200" in logged  # the log does have its one line per request
    assert "Zephyrine" not in logged and "marmalade" not in logged


def test_an_analysis_that_raises_is_reported_by_type_and_place_only(monkeypatch):
    def broken(text, **kwargs):
        raise ValueError(f"cannot parse {text[:80]!r}")

    monkeypatch.setattr(worker, "analyse", broken)
    outcome = worker.run(worker.Job(worker.Record(SECRET, "<text>")))
    assert outcome["failure"].startswith("ValueError at test_service_security.py:") and "Zephyrine" not in outcome["failure"]


def test_an_unexpected_error_is_json_without_a_traceback(caplog):
    app = create_app({})

    @app.get("/explode")
    def explode():
        raise RuntimeError(SECRET)

    response = app.test_client().get("/explode")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"
    assert "Traceback" not in response.get_data(as_text=True) and "Zephyrine" not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text and "Zephyrine" not in caplog.text


def test_an_upload_through_waitress_never_touches_the_disk(make_app, monkeypatch):
    # werkzeug spools uploads over 500 KB to a temporary file and waitress spools bodies over
    # 512 KB; neither may happen to a record.
    def no_disk(*args, **kwargs):
        raise AssertionError("a temporary file was created")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    monkeypatch.setattr("tempfile.TemporaryFile", no_disk)
    monkeypatch.setattr("tempfile.NamedTemporaryFile", no_disk)
    app = make_app(RECQUAL_WORKERS=1)
    server = waitress.create_server(app, **server_options(app.extensions["recqual"].settings, "127.0.0.1", 0, 2))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        boundary = "recqual-test-boundary"
        content = b"\x00" * 900_000  # 900 KB; refused as binary once read, which is all this test needs
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.effective_port}/v1/check", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=30)
        assert answer.value.code == 422 and b"binary" in answer.value.read()
    finally:
        server.close()
        thread.join(timeout=5)


def test_stopped_workers_are_restarted_and_a_shut_down_service_says_so(make_app, record_text):
    app = make_app(RECQUAL_WORKERS=1)
    client = app.test_client()
    pool = app.extensions["recqual"].pool
    assert client.post("/v1/check", json={"text": record_text}).status_code == 200
    pool._pool.stop()  # as when the pool breaks (a worker that cannot start): the next check starts a new one
    assert client.post("/v1/check", json={"text": record_text}).status_code == 200
    pool.close()
    response = client.post("/v1/check", json={"text": record_text})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "unavailable"


def test_a_body_without_a_length_is_refused_at_the_limit_not_cut_short(make_app):
    client = make_app(RECQUAL_MAX_REQUEST_BYTES=1000).test_client()
    body = json.dumps({"text": "x" * 5000}).encode()
    for content_type in ("application/json", "multipart/form-data; boundary=zz"):
        response = client.post(
            "/v1/check",
            input_stream=io.BytesIO(body),
            headers={"Content-Type": content_type, "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},  # what waitress says of a chunked body
        )
        assert response.status_code == 413 and "1,000 bytes" in response.get_json()["error"]["message"]
