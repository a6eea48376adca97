"""The command line: reports in both formats, clear errors for bad input, and help that teaches."""

import json
import subprocess
import sys

import pytest

from recqual.cli import main


def test_json_report_has_the_report_v1_shape(root, capsys):
    assert main(["analyse", str(root / "examples/review-record.txt"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "recqual/report-v1"
    for key in ("source", "review_date", "next_review_date", "score", "grade", "subscores", "recommendations", "issues", "flags", "text"):
        assert key in report
    rec = report["recommendations"][0]
    assert set(rec) >= {"id", "text", "span", "owner", "deadline", "repeats", "flags"}
    assert report["text"][rec["span"][0] : rec["span"][1]] == rec["text"]


def test_previous_review_links_repeats(root, capsys):
    assert main(["analyse", str(root / "examples/review-record.txt"), "--previous", str(root / "examples/previous-review-record.txt"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["previous_source"].endswith("previous-review-record.txt")
    carried = [r for r in report["recommendations"] if "outstanding from last review" in r["text"]]
    assert carried and "repeated_action" in carried[0]["flags"]


def test_text_report_lists_recommendations(root, capsys):
    assert main(["analyse", str(root / "examples/review-record.txt")]) == 0
    out = capsys.readouterr().out
    assert "Recommendations" in out and "Score" in out


def test_fail_under_exits_1(root):
    assert main(["analyse", str(root / "examples/review-record.txt"), "--fail-under", "101"]) == 1


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"\xff\xfe" + "a".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),
    ],
)
def test_bad_input_exits_2_with_the_file_named(tmp_path, capsys, content, reason):
    path = tmp_path / "draft.txt"
    path.write_bytes(content)
    assert main(["analyse", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and reason in err and len(err.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["analyse", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_windows_1252_text_is_read(tmp_path, capsys):
    path = tmp_path / "ansi.txt"
    path.write_bytes("RECOMMENDATIONS\n1. SW to book the child\x92s dental check by 30/04/2025 \x96 urgent.\n".encode("latin-1"))
    assert main(["analyse", str(path), "--format", "json", "--review-date", "2025-03-14"]) == 0
    assert json.loads(capsys.readouterr().out)["recommendations"][0]["deadline"]["date"] == "2025-04-30"


def test_errors_never_show_record_text(tmp_path, capsys):
    path = tmp_path / "secret.txt"
    path.write_bytes(b"Amelia Secretname lives at 1 Hidden Road \x00\x01\x02" * 50)
    assert main(["analyse", str(path)]) == 2
    assert "Secretname" not in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["analyse"], ["evaluate"], ["corpus"]])
def test_help_for_every_command(command):
    result = subprocess.run([sys.executable, "-m", "recqual.cli", *command, "--help"], capture_output=True, text=True, check=True)
    assert "usage: recqual" in result.stdout
