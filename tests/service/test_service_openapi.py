"""The OpenAPI document is valid, describes every route, and matches real responses (jsonschema and schemathesis)."""

from __future__ import annotations

import io

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.config import SchemathesisConfig

from recqual.service import create_app
from recqual.service.api import openapi_document

KEY = "openapi-test-key"
URI = "urn:recqual:openapi"


def pointer(*keys: str) -> str:
    return "#/" + "/".join(k.replace("~", "~0").replace("/", "~1") for k in keys)


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi_document()


# Built at import so that schemathesis can read the document while collecting; its workers
# start on the first check and are stopped when the module's tests are done.
KEYED_APP = create_app({"RECQUAL_API_KEY": KEY, "RECQUAL_MAX_REQUEST_BYTES": 200_000})


@pytest.fixture(scope="module")
def keyed_app():
    yield KEYED_APP
    KEYED_APP.extensions["recqual"].pool.close()


def validator(document: dict, path: str, method: str, status: int, media: str = "application/json") -> Draft202012Validator:
    """A validator for the documented body of `method path` answering `status`."""
    response = document["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        keys = ("components", "responses", name, "content", media, "schema")
    else:
        keys = ("paths", path, method, "responses", str(status), "content", media, "schema")
    registry = Registry().with_resource(URI, Resource.from_contents(document, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": URI + pointer(*keys)}, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_document_is_valid_openapi_3_1_and_documents_every_route(document, keyed_app):
    validate_openapi(document)
    routes = {rule.rule.replace("<path:name>", "{name}") for rule in keyed_app.url_map.iter_rules()}
    assert routes == set(document["paths"])


def test_real_responses_have_the_documented_shapes(document, keyed_app, record_text, previous_text):
    client = keyed_app.test_client()
    key = {"X-API-Key": KEY}
    upload = {"file": (io.BytesIO(record_text.encode()), "now.txt"), "previous_file": (io.BytesIO(previous_text.encode()), "last.txt")}
    exchanges = [
        ("/v1/check", "post", client.post("/v1/check", json={"text": record_text, "review_date": "2025-06-20"}, headers=key)),
        ("/v1/check", "post", client.post("/v1/check", data=upload, content_type="multipart/form-data", headers=key)),
        ("/v1/check", "post", client.post("/v1/check", json={"text": "Nothing was agreed. 🌻\n"}, headers=key)),
        ("/v1/check", "post", client.post("/v1/check", json={"text": " "}, headers=key)),
        ("/v1/check", "post", client.post("/v1/check", json={"text": "x"})),
        ("/v1/check", "post", client.post("/v1/check", json={"text": "x" * 300_000}, headers=key)),
        ("/v1/check", "post", client.post("/v1/check", data="x", content_type="text/plain", headers=key)),
        ("/v1/check", "post", client.post("/v1/check", data={"file": (io.BytesIO(b""), "empty.txt")}, content_type="multipart/form-data", headers=key)),
        ("/v1/health", "get", client.get("/v1/health")),
        ("/v1/rules", "get", client.get("/v1/rules", headers=key)),
        ("/v1/rules", "get", client.get("/v1/rules")),
        ("/v1/openapi.json", "get", client.get("/v1/openapi.json", headers=key)),
        ("/static/{name}", "get", client.get("/static/nothing-here.css")),
    ]
    seen = set()
    for path, method, response in exchanges:
        assert str(response.status_code) in document["paths"][path][method]["responses"], (path, response.status_code)
        errors = list(validator(document, path, method, response.status_code).iter_errors(response.get_json()))
        assert not errors, (path, response.status_code, [e.message for e in errors[:3]])
        seen.add((path, response.status_code))
    assert {s for p, s in seen if p == "/v1/check"} == {200, 400, 401, 413, 415, 422}


def test_a_report_missing_a_documented_field_would_be_caught(document, keyed_app, record_text):
    report = keyed_app.test_client().post("/v1/check", json={"text": record_text}, headers={"X-API-Key": KEY}).get_json()
    check = validator(document, "/v1/check", "post", 200)
    assert check.is_valid(report)
    del report["matches"][0]["offset"]
    report["recommendations"][0]["deadline"] = {"text": "asap"}
    assert len(list(check.iter_errors(report))) == 2


# A schema-valid upload may still be no readable record (empty, binary): the documented 422.
FUZZING = SchemathesisConfig.from_dict({"generation": {"mode": "all"}, "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]}}})
schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", KEYED_APP, config=FUZZING, headers={"X-API-Key": KEY})


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_get_documented_answers(case, keyed_app):
    # Fuzzed bodies, fields and paths: no 5xx, and every answer has a documented status, media type and shape.
    case.call_and_validate(headers={"X-API-Key": KEY})
