"""`recqual serve`: the app under waitress as a user starts it, and clear errors for bad settings or a busy port."""

from __future__ import annotations

import json
import socket
import urllib.request

from recqual.cli import main


def test_recqual_serve_answers_checks_over_http(served, record_text):
    with urllib.request.urlopen(served + "/v1/health", timeout=10) as response:
        assert json.load(response)["status"] == "ok"
        assert response.headers["Server"] == "recqual" and response.headers["Cache-Control"] == "no-store"
    request = urllib.request.Request(served + "/v1/check", data=json.dumps({"text": record_text}).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        report = json.load(response)
    assert report["schema"] == "recqual/report-v1" and report["matches"]


def test_a_bad_settings_file_exits_2_naming_the_setting(tmp_path, capsys):
    settings = tmp_path / "serve.yaml"
    settings.write_text("RECQUAL_TIMEOUT: soon\n", encoding="utf-8")
    assert main(["serve", "--config", str(settings)]) == 2
    assert "RECQUAL_TIMEOUT must be a number" in capsys.readouterr().err
    settings.write_text("RECQUAL_API_KEYS: abc\n", encoding="utf-8")
    assert main(["serve", "--config", str(settings)]) == 2
    assert "unknown settings RECQUAL_API_KEYS" in capsys.readouterr().err


def test_a_port_in_use_exits_2(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
