"""What a check request asks for: pasted text as JSON, or uploaded files, read into a worker Job without touching the disk."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import IO, Any

from flask import Request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data

from recqual.service.errors import ApiError, too_large_message
from recqual.service.worker import Job, Record

JSON_FIELDS = ("text", "previous_text", "review_date")
FORM_FIELDS = ("file", "previous_file", *JSON_FIELDS)
MAX_NAME = 200
FIELD_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")
MAX_PREVIOUS = 5  # earlier reviews a check may compare against: each one costs a full analysis


def read_check_request(request: Request, limit: int) -> Job:
    """The Job a POST /v1/check asks for; ApiError (400, 413 or 415) with a message naming the field when it cannot be read."""
    if request.mimetype == "application/json":
        return _from_json(request, limit)
    if request.mimetype == "multipart/form-data":
        return _from_upload(request, limit)
    raise ApiError(
        415, "unsupported_media_type", "Send JSON (application/json) with a 'text' field, or a file upload (multipart/form-data) with a 'file' field."
    )


def _from_json(request: Request, limit: int) -> Job:
    data = request.get_data(cache=False)
    if request.content_length is None and len(data) >= limit:
        # A body sent without a length is cut off at the limit rather than refused; refuse it here.
        raise ApiError(413, "too_large", too_large_message(limit, None))
    try:
        body = json.loads(data)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", 'The body is not a JSON object; send {"text": "..."}.')
    _refuse_unknown(body.keys(), JSON_FIELDS)
    text = _text_field(body.get("text"), "text", required=True)
    earlier = body.get("previous_text")
    # One previous review as a string, or a series as a list, oldest first.
    texts = earlier if isinstance(earlier, list) else [earlier]
    _count_previous(len(texts))
    if isinstance(earlier, list) and not all(isinstance(t, str) for t in earlier):
        raise ApiError(400, "bad_request", "'previous_text' must be a string holding the record's text, or a list of them.")
    previous = [_text_field(t, "previous_text", required=False) for t in texts]
    return Job(
        record=Record(text, "<text>"),
        previous=tuple(Record(t, "<previous_text>") for t in previous if t is not None),
        review_date=_review_date(body.get("review_date")),
    )


def _count_previous(n: int) -> None:
    if n > MAX_PREVIOUS:
        raise ApiError(400, "bad_request", f"At most {MAX_PREVIOUS} previous reviews can be sent with a check; {n} were sent.")


def _from_upload(request: Request, limit: int) -> Job:
    try:
        # Parsed here rather than through request.files: werkzeug spools large uploads to a
        # temporary file, and a record must never reach the disk. The size limit bounds memory.
        _, form, files = parse_form_data(request.environ, stream_factory=_in_memory, max_form_memory_size=limit, max_content_length=limit, silent=False)
    except RequestEntityTooLarge:
        raise ApiError(413, "too_large", too_large_message(limit, request.content_length)) from None
    except ValueError:
        raise ApiError(400, "bad_request", "The upload is not a well-formed multipart/form-data body.") from None
    _refuse_unknown([*form.keys(), *files.keys()], FORM_FIELDS)
    record = _upload_or_text(form, files, "file", "text", required=True)
    uploads, texts = files.getlist("previous_file"), [t for t in form.getlist("previous_text") if t]
    if uploads and texts:
        raise ApiError(400, "bad_request", "Send either 'previous_file' or 'previous_text', not both.")
    _count_previous(len(uploads) + len(texts))
    # Repeated fields are a series of earlier reviews, oldest first.
    previous = [Record(u.read(), _file_name(u.filename)) for u in uploads] + [Record(t, "<previous_text>") for t in texts]
    return Job(record=record, previous=tuple(previous), review_date=_review_date(form.get("review_date") or None))


def _in_memory(total_content_length: int | None, content_type: str | None, filename: str | None, content_length: int | None = None) -> IO[bytes]:
    return io.BytesIO()


def _upload_or_text(form: MultiDict, files: MultiDict, file_field: str, text_field: str, required: bool) -> Record | None:
    upload: FileStorage | None = files.get(file_field)
    text = form.get(text_field)
    if upload is not None and text:
        raise ApiError(400, "bad_request", f"Send either '{file_field}' or '{text_field}', not both.")
    if upload is not None:
        return Record(upload.read(), _file_name(upload.filename))
    if text:
        return Record(text, f"<{text_field}>")
    if required:
        raise ApiError(400, "bad_request", f"No record was sent: add a '{file_field}' upload or a '{text_field}' field.")
    return None


def _file_name(name: str | None) -> str:
    # Only the base name is kept: the client's folders are none of the report's business.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:MAX_NAME] or "upload"


def _text_field(value: Any, name: str, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "bad_request", f"'{name}' must be a string holding the record's text.")
    if not value.strip():
        if not required:
            return None
        raise ApiError(400, "bad_request", f"'{name}' is empty: paste the record's text.")
    return value


def _review_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ApiError(400, "bad_request", "'review_date' must be a date in the form YYYY-MM-DD.")


def _refuse_unknown(names: Any, known: tuple[str, ...]) -> None:
    unknown = sorted(set(names) - set(known))
    if unknown:
        # A field name is quoted only when it looks like one: whatever else a client put there could be the record.
        shown = [repr(n) if FIELD_NAME.fullmatch(n) else "(an unknown field)" for n in unknown]
        raise ApiError(400, "bad_request", f"Unknown field {', '.join(shown)}; expected {', '.join(known)}.")
