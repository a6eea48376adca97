"""The IRO's page end to end in headless Chromium, against `recqual serve`: paste or upload, check, read the findings.

Skipped when Chromium is not installed, except where RECQUAL_REQUIRE_BROWSER is set (.ci/run sets
it after installing Debian's chromium and chromium-driver), so that CI always runs it.
"""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, chromium, require_chromium
from recqual.analyse import analyse

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402 - only once a browser is known to be there
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Concatenated text of the highlights that carry each finding, keyed by its index in report.flags.
HIGHLIGHTED = """
const byFlag = {};
for (const mark of document.querySelectorAll('#record mark')) {
  for (const i of mark.dataset.matches.split(' ')) byFlag[i] = (byFlag[i] || '') + mark.textContent;
}
return byFlag;
"""


@pytest.fixture(scope="module")
def browser():
    with chromium("--window-size=1280,1600") as driver:
        yield driver


def check_pasted(browser, served: str, text: str) -> None:
    browser.get(served + "/")
    area = browser.find_element(By.ID, "record-text")
    # Setting the value is what a paste does; typing 6,000 characters would take far longer.
    browser.execute_script("arguments[0].value = arguments[1]", area, text)
    browser.find_element(By.ID, "check-button").click()
    WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "results")))


def test_a_pasted_record_is_scored_and_every_finding_highlighted_at_its_words(browser, served, record_text):
    text = record_text.replace("Why the date:", "Chidera chose the emoji 🌻 for her page. Why the date:", 1)
    expected = analyse(text)
    check_pasted(browser, served, text)

    assert browser.find_element(By.ID, "score").text == str(expected.score)
    assert browser.find_element(By.ID, "grade").text == expected.grade
    subscores = browser.find_elements(By.CSS_SELECTOR, "#subscores tbody tr")
    assert len(subscores) == len(expected.subscores)
    readability = browser.find_element(By.ID, "readability").text
    assert f"reading age of about {expected.readability['reading_age']}" in readability
    assert f"{len(expected.readability['unexplained_abbreviations'])} abbreviations not spelled out" in readability

    # Every finding with a span is highlighted over exactly its words, also after the emoji.
    highlighted = browser.execute_script(HIGHLIGHTED)
    spanned = [(i, f) for i, f in enumerate(expected.flags) if f.span]
    assert spanned and any(f.span[0] > text.index("🌻") for _, f in spanned)
    for i, flag in spanned:
        assert highlighted[str(i)] == text[flag.span[0] : flag.span[1]], flag.code

    # Clicking a highlight explains it, with the suggestion.
    index, flag = next((i, f) for i, f in spanned if f.code == "missing_deadline")
    mark = browser.find_element(By.CSS_SELECTOR, f'#record mark[data-matches~="{index}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    note = browser.find_element(By.ID, "note-body").text
    assert flag.message in note and flag.suggestion in note

    # The keyboard does the same: Enter on a focused highlight.
    index, flag = next((i, f) for i, f in spanned if f.code == "unaddressed_issue")
    mark = browser.find_element(By.CSS_SELECTOR, f'#record mark[data-matches~="{index}"]')
    mark.send_keys(Keys.ENTER)
    assert flag.suggestion in browser.find_element(By.ID, "note-body").text

    # The recommendations table, with owner, deadline and findings, and the unaddressed concerns.
    rows = browser.find_elements(By.CSS_SELECTOR, "#recommendations tbody tr")
    assert len(rows) == len(expected.recommendations)
    for row, rec in zip(rows, expected.recommendations, strict=True):
        cells = row.find_elements(By.TAG_NAME, "td")
        assert cells[2].text.startswith(rec.owner.text if rec.owner else "None named")
        assert cells[3].text.startswith(rec.deadline.text if rec.deadline else "None given")
        # one button per finding: a recommendation can have two of one kind (two unexplained abbreviations)
        assert len(cells[4].find_elements(By.TAG_NAME, "button")) == sum(f.recommendation == rec.id for f in expected.flags)
    unaddressed = [i for i in expected.issues if not i.addressed_by]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#issues li")) == len(unaddressed)

    # A finding's button in the table takes the reader to it in the text.
    chip = rows[[bool(r.flags) for r in expected.recommendations].index(True)].find_element(By.CSS_SELECTOR, "button[data-flag]")
    chip.click()
    focused = browser.switch_to.active_element
    assert focused.tag_name == "mark" and chip.get_attribute("data-flag") in focused.get_attribute("data-matches").split()

    # Nothing kept in the browser, nothing fetched from anywhere but this server.
    assert browser.execute_script("return localStorage.length + sessionStorage.length") == 0
    assert browser.execute_script("return document.cookie") == ""
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(served + "/") for url in resources)
    # No script error and no Content-Security-Policy violation on the way.
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []

    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "web-page.png"))


def test_uploaded_files_with_the_previous_review_show_repeated_actions(browser, served, root):
    browser.get(served + "/")
    browser.find_element(By.ID, "record-file").send_keys(str(root / "examples/review-record.txt"))
    browser.find_element(By.CSS_SELECTOR, "#previous summary").click()
    browser.find_element(By.ID, "previous-file").send_keys(str(root / "examples/previous-review-record.txt"))
    browser.find_element(By.ID, "check-button").click()
    WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "results")))
    source = browser.find_element(By.ID, "score-source").text
    assert "review-record.txt" in source and "previous-review-record.txt" in source
    chips = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#recommendations button[data-flag]")]
    assert "Repeated action" in chips


def test_problems_are_announced_in_plain_words(browser, served, tmp_path):
    browser.get(served + "/")
    browser.find_element(By.ID, "check-button").click()
    error = browser.find_element(By.ID, "error")
    assert error.is_displayed() and "Paste the record's text or choose its file" in error.text
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02" * 400)
    browser.find_element(By.ID, "record-file").send_keys(str(binary))
    browser.find_element(By.ID, "check-button").click()
    WebDriverWait(browser, 30).until(ec.text_to_be_present_in_element((By.ID, "error"), "scan.txt"))
    assert "binary" in error.text and error.get_attribute("role") == "alert"
