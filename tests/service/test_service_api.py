"""POST /v1/check and the other routes, through the Flask test client: what an editor plugin or the page relies on."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from flask import Flask

from recqual import vocab
from recqual.analyse import analyse
from recqual.service import blueprint

ROOT = Path(__file__).resolve().parents[2]

MATCH_KEYS = {"offset", "length", "message", "shortMessage", "replacements", "rule"}


def utf16_slice(text: str, offset: int, length: int) -> str:
    """What a JavaScript or LanguageTool client sees at (offset, length)."""
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def test_check_returns_the_report_and_matches_of_the_one_analysis_path(client, record_text):
    response = client.post("/v1/check", json={"text": record_text})
    assert response.status_code == 200
    report = response.get_json()
    expected = analyse(record_text).to_dict()
    assert report["schema"] == "recqual/report-v1"
    assert (report["score"], report["grade"], report["subscores"]) == (expected["score"], expected["grade"], expected["subscores"])
    assert report["flags"] == expected["flags"] and report["text"] == record_text
    assert len(report["matches"]) == len(report["flags"]) > 0
    for match in report["matches"]:
        assert set(match) >= MATCH_KEYS
        assert set(match["rule"]) >= {"id", "description", "category"} and set(match["rule"]["category"]) == {"id", "name"}
        flag = report["flags"][match["flag"]]
        assert match["rule"]["id"] == flag["code"] and flag["message"] in match["message"] and flag["suggestion"] in match["message"]
        if flag["span"]:
            start, end = flag["span"]
            assert utf16_slice(record_text, match["offset"], match["length"]) == record_text[start:end]
    assert [m["offset"] for m in report["matches"]] == sorted(m["offset"] for m in report["matches"])


def test_match_offsets_count_utf16_code_units_after_an_emoji(client, record_text):
    # An emoji is one code point but two UTF-16 code units: every later match shifts by one.
    text = record_text.replace("Why the date:", "Chidera chose the emoji 🌻 for her page. Why the date:", 1)
    report = client.post("/v1/check", json={"text": text}).get_json()
    emoji_at = text.index("🌻")
    shifted = [m for m in report["matches"] if m["length"] and report["flags"][m["flag"]]["span"][0] > emoji_at]
    assert shifted
    for match in shifted:
        start, end = report["flags"][match["flag"]]["span"]
        assert match["offset"] == start + 1 and match["length"] == end - start
        assert utf16_slice(text, match["offset"], match["length"]) == text[start:end]


def test_a_finding_on_the_whole_record_is_a_zero_length_match(client):
    text = "Review of a fictional child. The meeting discussed school and contact. Nothing was agreed.\n"
    report = client.post("/v1/check", json={"text": text}).get_json()
    whole = [m for m in report["matches"] if m["rule"]["id"] == "no_recommendations"]
    assert whole and whole[0]["offset"] == 0 and whole[0]["length"] == 0
    assert whole[0]["rule"]["category"]["id"] == "RECORD" and whole[0]["severity"] == "error"


def test_an_upload_is_read_like_a_file_and_named_by_its_base_name(client, record_text):
    data = {"file": (io.BytesIO(record_text.encode("cp1252", errors="replace")), "../drafts/2025/review.txt")}
    report = client.post("/v1/check", data=data, content_type="multipart/form-data").get_json()
    assert report["source"] == "review.txt"
    assert report["score"] == analyse(record_text).score


def test_the_previous_review_finds_repeated_actions_as_text_or_file(client, record_text, previous_text):
    as_json = client.post("/v1/check", json={"text": record_text, "previous_text": previous_text}).get_json()
    as_files = client.post(
        "/v1/check",
        data={"file": (io.BytesIO(record_text.encode()), "now.txt"), "previous_file": (io.BytesIO(previous_text.encode()), "last.txt")},
        content_type="multipart/form-data",
    ).get_json()
    expected = analyse(record_text, previous=analyse(previous_text))
    for report in (as_json, as_files):
        assert [r["flags"] for r in report["recommendations"]] == [r.flags for r in expected.recommendations]
        assert any("repeated_action" in r["flags"] for r in report["recommendations"])
    assert as_files["previous_source"] == "last.txt" and as_json["previous_source"] == "<previous_text>"


def test_a_series_of_earlier_reviews_counts_drift_as_the_cli_does(client):
    series = [(ROOT / f"corpus/annotated/source/c001/c001-r{n}.txt").read_text(encoding="utf-8") for n in (1, 2, 3)]
    as_json = client.post("/v1/check", json={"text": series[2], "previous_text": series[:2]}).get_json()
    as_files = client.post(
        "/v1/check",
        data={
            "file": (io.BytesIO(series[2].encode()), "r3.txt"),
            "previous_file": [(io.BytesIO(t.encode()), f"r{n}.txt") for n, t in ((1, series[0]), (2, series[1]))],
        },
        content_type="multipart/form-data",
    ).get_json()
    expected = analyse(series[2], previous=analyse(series[1], previous=analyse(series[0])))
    assert any("drift" in r.flags for r in expected.recommendations)
    for report in (as_json, as_files):
        assert [r["flags"] for r in report["recommendations"]] == [r.flags for r in expected.recommendations]
    assert as_files["previous_source"] == "r2.txt"
    too_many = client.post("/v1/check", json={"text": series[2], "previous_text": [series[0]] * 6})
    assert too_many.status_code == 400 and "At most 5 previous reviews" in too_many.get_json()["error"]["message"]


def test_review_date_overrides_the_header(client, record_text):
    report = client.post("/v1/check", json={"text": record_text, "review_date": "2025-02-01"}).get_json()
    assert report["review_date"] == "2025-02-01"


@pytest.mark.parametrize(
    "kwargs, status, words",
    [
        ({"json": ["not", "an", "object"]}, 400, "not a JSON object"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "not a JSON object"),
        ({"json": {}}, 400, "'text' must be a string"),
        ({"json": {"text": 42}}, 400, "'text' must be a string"),
        ({"json": {"text": "  \n "}}, 400, "'text' is empty"),
        ({"json": {"text": "x", "review_date": "14/03/2025"}}, 400, "YYYY-MM-DD"),
        ({"json": {"text": "x", "previous": "y"}}, 400, "Unknown field 'previous'"),
        ({"json": {"text": "x", "previous_text": ["y", 3]}}, 400, "'previous_text' must be a string"),
        ({"data": {"review_date": "2025-03-14"}, "content_type": "multipart/form-data"}, 400, "No record was sent"),
        ({"data": {"file": (io.BytesIO(b"a"), "a.txt"), "text": "b"}, "content_type": "multipart/form-data"}, 400, "not both"),
        ({"data": "text", "content_type": "text/plain"}, 415, "Send JSON"),
    ],
)
def test_a_malformed_request_gets_a_json_error_naming_the_problem(client, kwargs, status, words):
    response = client.post("/v1/check", **kwargs)
    assert response.status_code == status and response.is_json
    error = response.get_json()["error"]
    assert words in error["message"] and error["code"] in ("bad_request", "unsupported_media_type")


@pytest.mark.parametrize("content, reason", [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "binary")])
def test_an_unreadable_upload_is_422_naming_the_file_and_reason(client, content, reason):
    response = client.post("/v1/check", data={"file": (io.BytesIO(content), "draft.txt")}, content_type="multipart/form-data")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unreadable_record" and error["message"].startswith("draft.txt: ") and reason in error["message"]


def test_rules_list_every_flag_in_the_catalogue(client):
    rules = client.get("/v1/rules").get_json()["rules"]
    catalogue = vocab.load("flags")["flags"]
    assert [r["id"] for r in rules] == list(catalogue)
    for rule in rules:
        assert rule["description"] == catalogue[rule["id"]]["description"] and rule["severity"] in ("error", "warning", "info")
    assert {r["category"]["id"] for r in rules} == {"RECOMMENDATIONS", "CONCERNS", "RECORD"}


def test_health_says_ok_with_version_and_schema(client):
    assert client.get("/v1/health").get_json() == {"status": "ok", "version": "0.1.0", "schema": "recqual/report-v1", "workers": 2}


@pytest.mark.parametrize("method, path, status", [("get", "/v1/nothing", 404), ("get", "/nothing", 404), ("get", "/v1/check", 405), ("put", "/v1/rules", 405)])
def test_unknown_routes_and_wrong_methods_are_json_errors(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status and response.is_json
    assert set(response.get_json()["error"]) == {"code", "message"} and b"<html" not in response.data.lower()


def test_the_page_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and b"Check a review record" in page.data
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_a_host_app_can_register_the_blueprint_with_its_own_settings(record_text):
    host = Flask("host")
    host.config.update(RECQUAL_API_KEY="host-key", RECQUAL_WORKERS=1)

    @host.get("/cases")
    def cases():
        return "the host's own page"

    host.register_blueprint(blueprint)
    try:
        client = host.test_client()
        assert client.get("/cases").data == b"the host's own page"
        refused = client.post("/v1/check", json={"text": record_text})
        assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
        assert refused.headers["Cache-Control"] == "no-store"
        report = client.post("/v1/check", json={"text": record_text}, headers={"X-API-Key": "host-key"}).get_json()
        assert report["score"] == analyse(record_text).score
    finally:
        host.extensions["recqual"].pool.close()


def test_concurrent_requests_each_get_their_own_record_s_report(app, root):
    records = sorted((root / "corpus/annotated/source").glob("c00*/*.txt"))[:8]
    texts = [p.read_text(encoding="utf-8") for p in records]
    expected = [analyse(t).to_dict() for t in texts]
    results: dict[int, list] = {i: [] for i in range(len(texts))}
    start = threading.Barrier(len(texts))

    def client_thread(i: int) -> None:
        client = app.test_client()
        start.wait()
        for _ in range(2):
            # Each thread asks about a different record, so a mix-up between requests would show.
            results[i].append(client.post("/v1/check", json={"text": texts[i]}).get_json())

    threads = [threading.Thread(target=client_thread, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for i, reports in results.items():
        assert len(reports) == 2
        for report in reports:
            assert report["text"] == texts[i]
            assert (report["score"], report["flags"]) == (expected[i]["score"], expected[i]["flags"])
