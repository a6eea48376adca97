"""The browser extension end to end: headless Chromium with the built extension loaded, the fictional
case-recording form on localhost (under a strict Content-Security-Policy), and `recqual serve`.

An IRO types the record, presses Check record, reads the score and the findings, and clicks one to
find its words in the editor; nothing is sent before they press, and nothing is kept afterwards.
Skipped when Chromium is not installed, except where RECQUAL_REQUIRE_BROWSER is set (CI).
"""

from __future__ import annotations

import html
import json
import re
import socket
import time
import urllib.request

import pytest

from browser_support import ARTIFACTS, require_chromium
from recqual.analyse import analyse
from recqual.service.matches import matches

from .conftest import API_KEY, MAX_REQUEST_BYTES, ROOT, extension_id

require_chromium()

import websocket  # noqa: E402 - only once a browser is known to be there
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

EDITOR_TEXT_JS = ROOT / "plugin/editor-text.js"
EMOJI = "🌻"
SETTINGS = {"endpoint", "apiKey", "backgroundCheck"}
SEVERITY_WORDS = {"error": "Must fix", "warning": "Should fix", "info": "Worth a look"}


# ---- driving the extension ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ext_id(unpacked_extension) -> str:
    return extension_id(unpacked_extension)


def wait(browser, seconds: float = 30) -> WebDriverWait:
    return WebDriverWait(browser, seconds, poll_frequency=0.05)


def configure(browser, ext_id: str, endpoint: str = "", key: str = "", background: bool = False) -> str:
    """Fill in and save the options page as a user does; returns what it says."""
    browser.get(f"chrome-extension://{ext_id}/options.html")
    wait(browser, 10).until(lambda b: b.find_element(By.ID, "save").is_enabled())
    for field_id, value in (("endpoint", endpoint), ("api-key", key)):
        field = browser.find_element(By.ID, field_id)
        field.clear()
        if value:
            field.send_keys(value)
    box = browser.find_element(By.ID, "background-check")
    if box.is_selected() != background:
        box.click()
    status = browser.find_element(By.ID, "status")
    browser.find_element(By.ID, "save").click()
    wait(browser, 10).until(lambda b: status.text.startswith("Saved") or "problem" in status.get_attribute("class"))
    return status.text


def press_test_connection(browser) -> str:
    """Press "Test the connection" on the options page (sends no record); returns what it says."""
    status = browser.find_element(By.ID, "status")
    browser.find_element(By.ID, "probe").click()
    wait(browser, 10).until(lambda b: status.text and not status.text.startswith("Testing"))
    return status.text


def stored(browser, ext_id: str) -> dict:
    """Everything the extension keeps: its local and session storage, read from its own page."""
    browser.get(f"chrome-extension://{ext_id}/options.html")
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([chrome.storage.local.get(null), chrome.storage.session.get(null)]).then(([local, session]) => done({local, session}));"
    )


def shadow(browser):
    return wait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, "recqual-check")).shadow_root


def part(browser, name: str):
    return shadow(browser).find_element(By.CSS_SELECTOR, f'[data-recqual="{name}"]')


def outcome(browser):
    """The panel once the check has an answer: the score, or a message."""
    root = shadow(browser)
    return wait(browser).until(lambda b: (root.find_elements(By.CSS_SELECTOR, '[data-recqual="score"], [data-recqual="error"]') or [None])[0])


def press_check(browser):
    part(browser, "control").click()
    return outcome(browser)


def click_toolbar_button(browser, ext_id: str) -> None:
    """Press the extension's toolbar button for the current tab, through the DevTools protocol."""
    address = browser.capabilities["goog:chromeOptions"]["debuggerAddress"]
    with urllib.request.urlopen(f"http://{address}/json/version", timeout=10) as response:
        url = json.load(response)["webSocketDebuggerUrl"]
    connection = websocket.create_connection(url, timeout=10, suppress_origin=True)

    def call(number: int, method: str, params: dict) -> dict:
        connection.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            answer = json.loads(connection.recv())
            if answer.get("id") == number:
                assert "error" not in answer, answer
                return answer["result"]

    try:
        tabs = call(1, "Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tab = next(t for t in tabs if t["url"] == browser.current_url)
        call(2, "Extensions.triggerAction", {"id": ext_id, "targetId": tab["targetId"]})
    finally:
        connection.close()


def checks(endpoint) -> int:
    return endpoint.requests("POST", "/v1/check")


def settle(endpoint, expected: int) -> int:
    """The number of checks the server has logged, once it reaches `expected` (its log trails the response a little)."""
    deadline = time.monotonic() + 5
    while checks(endpoint) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # and nothing more arrives
    return checks(endpoint)


def findings(browser) -> list:
    return shadow(browser).find_elements(By.CSS_SELECTOR, "button[data-finding]")


def expected_findings(text: str):
    """The report for `text` and its findings in the panel's order (the service's matches, by offset)."""
    report = analyse(text)
    return report, [(m, report.flags[m["flag"]]) for m in matches(report.to_dict())]


def words_of(flag, text: str) -> str:
    return text[flag.span[0] : flag.span[1]]


def same_words(a: str, b: str) -> bool:
    return " ".join(a.replace("\u00a0", " ").split()) == " ".join(b.replace("\u00a0", " ").split())


def page_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


# ---- the record, as an IRO would have it in each kind of editor ---------------------------


def record_with_emoji(record_text: str) -> str:
    # A character outside the Basic Multilingual Plane before most findings: offsets must count UTF-16 units.
    return record_text.replace("Why the date:", f"Chidera chose the emoji {EMOJI} for her page. Why the date:", 1)


def line_html(line: str) -> str:
    escaped = html.escape(line, quote=False)

    # Spaces an editor keeps: no-break spaces at the line's edges and alternating with plain ones inside it.
    def spaces(run: re.Match) -> str:
        n = len(run.group())
        edge = run.start() == 0 or run.end() == len(escaped)
        return "\u00a0" * n if edge else ("\u00a0 " * n)[:n]

    escaped = re.sub(r"^ +| +$| {2,}", spaces, escaped)
    if re.fullmatch(r"[A-Z][A-Za-z' ]{2,40}", line):
        return f"<strong>{escaped}</strong>"  # a heading, made bold
    return re.sub(r"^([A-Z][A-Za-z ]{1,20}:)", r"<b>\1</b>", escaped)  # a label, made bold


def rich_text_html(text: str) -> str:
    """The record as a rich-text editor holds it: paragraphs, line breaks, bold headings and labels, kept spaces."""
    return "".join("<p>" + "<br>".join(line_html(line) for line in paragraph.split("\n")) + "</p>" for paragraph in text.split("\n\n"))


# ---- the tests ----------------------------------------------------------------------------


def test_with_no_service_set_up_check_record_says_so_and_sends_nothing(browser, ext_id, case_page, endpoint):
    assert configure(browser, ext_id) == "Saved. No service is set, so nothing can be checked yet."
    before = checks(endpoint)
    browser.get(case_page)

    # Small fields get no control; the record's text area does.
    browser.find_element(By.ID, "note").click()
    browser.find_element(By.ID, "case-number").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "recqual-check") or not part(browser, "control").is_displayed()
    minutes = browser.find_element(By.ID, "minutes")
    minutes.click()
    minutes.send_keys("Recommendations\n1. SW to visit Chidera asap.")
    control = part(browser, "control")
    assert control.is_displayed() and control.text == "Check record"

    message = press_check(browser)
    assert message.text.startswith("No recqual service is set up yet. Open the extension's options")
    assert message.get_attribute("role") == "alert"
    assert any(b.text == "Open the options" for b in shadow(browser).find_elements(By.CSS_SELECTOR, "button"))
    assert settle(endpoint, before) == before


def test_a_typed_record_is_checked_only_when_asked_and_each_finding_selects_its_words(browser, ext_id, case_page, endpoint, record_text):
    assert configure(browser, ext_id, endpoint.url, API_KEY) == f"Saved. Checks go to {endpoint.url}/v1/check."
    browser.get(case_page)
    minutes = browser.find_element(By.ID, "minutes")
    pasted = record_with_emoji(record_text)
    # The record is pasted (setting the value is what a paste does), then the IRO types the last line.
    browser.execute_script("arguments[0].value = arguments[1]", minutes, pasted)
    minutes.click()
    typed = "\nTyped by the IRO: the record was read back to Chidera."
    minutes.send_keys(Keys.CONTROL, Keys.END)
    minutes.send_keys(typed)
    text = pasted + typed
    assert browser.execute_script("return arguments[0].value", minutes) == text

    # Writing, focusing and waiting send nothing: only pressing Check record does.
    before = checks(endpoint)
    time.sleep(0.5)
    assert checks(endpoint) == before
    score = press_check(browser)
    assert settle(endpoint, before + 1) == before + 1

    report, expected = expected_findings(text)
    assert score.text == str(report.score)
    assert part(browser, "grade").text == report.grade.capitalize()
    buttons = findings(browser)
    assert [b.get_attribute("data-code") for b in buttons] == [m["rule"]["id"] for m, _ in expected]
    assert part(browser, "status").text == f"Score {report.score}, {report.grade}, {len(expected)} findings."
    assert any(m["offset"] > text.index(EMOJI) for m, _ in expected)

    # Each finding selects exactly its words (UTF-16 offsets, past the emoji too) and shows the suggestion.
    for button, (match, flag) in zip(buttons, expected, strict=True):
        assert button.text.lower().startswith(SEVERITY_WORDS[flag.severity].lower())  # shown in capitals
        button.click()
        detail = button.find_element(By.XPATH, "following-sibling::*[1]")
        assert detail.is_displayed() and flag.message in detail.text and flag.suggestion in detail.text
        if not flag.span:
            continue
        start, end = browser.execute_script("return [arguments[0].selectionStart, arguments[0].selectionEnd]", minutes)
        assert (start, end) == (match["offset"], match["offset"] + match["length"])
        assert browser.execute_script("const t = arguments[0]; return t.value.substring(t.selectionStart, t.selectionEnd)", minutes) == words_of(flag, text)
        assert browser.switch_to.active_element == minutes
    # The last finding is far down the record: the text area scrolled to it.
    assert browser.execute_script("return arguments[0].scrollTop", minutes) > 0
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "extension-textarea.png"))

    # The IRO edits the top of the record: the panel says so, and a finding still finds its words.
    minutes.send_keys(Keys.CONTROL, Keys.HOME)
    minutes.send_keys("Draft 2. ")
    assert part(browser, "stale").is_displayed()
    match, flag = next((m, f) for m, f in expected if f.span)
    again = findings(browser)[expected.index((match, flag))]
    # The panel was left scrolled to its last finding: scroll back to this one, as the IRO would.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", again)
    again.click()
    start, end = browser.execute_script("return [arguments[0].selectionStart, arguments[0].selectionEnd]", minutes)
    assert (start, end) == (match["offset"] + len("Draft 2. "), match["offset"] + len("Draft 2. ") + match["length"])

    # Closing the panel drops the record: nothing of it stays on the page or in the extension's storage.
    part(browser, "close").click()
    host = browser.find_element(By.CSS_SELECTOR, "recqual-check")
    assert not shadow(browser).find_elements(By.CSS_SELECTOR, '[data-recqual="panel"]')
    assert "Chidera" not in browser.execute_script("return arguments[0].shadowRoot.textContent", host)
    assert page_errors(browser) == []
    kept = stored(browser, ext_id)
    assert set(kept["local"]) <= SETTINGS and kept["local"]["endpoint"] == endpoint.url
    assert set(kept["session"]) <= {"editorFrames"} and all(isinstance(v, int) for v in kept["session"].get("editorFrames", {}).values())
    assert "Chidera" not in json.dumps(kept)
    assert settle(endpoint, before + 1) == before + 1


def test_the_toolbar_button_checks_a_rich_text_editor_and_findings_select_across_its_markup(browser, ext_id, case_page, endpoint, record_text):
    configure(browser, ext_id, endpoint.url, API_KEY)
    browser.get(case_page)
    text = record_with_emoji(record_text)
    rich = browser.find_element(By.ID, "rich")
    browser.execute_script("arguments[0].innerHTML = arguments[1]", rich, rich_text_html(text))
    # The editor's text as the extension reads it (its own code, run in the page) is the record, line for line.
    browser.execute_script(EDITOR_TEXT_JS.read_text(encoding="utf-8") + "\nwindow.recqualEditorText = recqualEditorText;")
    assert browser.execute_script("return recqualEditorText.read(arguments[0]).text", rich) == text

    rich.click()
    before = checks(endpoint)
    click_toolbar_button(browser, ext_id)
    score = outcome(browser)
    assert settle(endpoint, before + 1) == before + 1
    report, expected = expected_findings(text)
    assert score.text == str(report.score)
    # Started from the toolbar (or the shortcut), the result takes the focus, for keyboard and screen-reader users.
    assert browser.execute_script("return document.querySelector('recqual-check').shadowRoot.activeElement.textContent") == "Record check"

    buttons = findings(browser)
    assert [b.get_attribute("data-code") for b in buttons] == [m["rule"]["id"] for m, _ in expected]
    for button, (_, flag) in zip(buttons, expected, strict=True):
        button.click()
        if not flag.span:
            continue
        selected = browser.execute_script(
            "const s = getSelection(); return [s.toString(), arguments[0].contains(s.anchorNode), arguments[0].contains(s.focusNode)]", rich
        )
        assert same_words(selected[0], words_of(flag, text)) and selected[1:] == [True, True], flag.code
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "extension-rich-text.png"))
    assert page_errors(browser) == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_message(browser, case_page, text: str) -> str:
    browser.get(case_page)
    minutes = browser.find_element(By.ID, "minutes")
    browser.execute_script("arguments[0].value = arguments[1]", minutes, text)
    minutes.click()
    return press_check(browser).text


def test_plain_messages_when_the_service_cannot_be_reached_refuses_the_key_or_the_record_is_too_long(browser, ext_id, case_page, endpoint):
    record = "Recommendations\n1. SW to visit Chidera asap.\n"
    nowhere = f"http://127.0.0.1:{closed_port()}"
    configure(browser, ext_id, nowhere, API_KEY)
    assert check_message(browser, case_page, record).startswith(f"Could not reach the recqual service at {nowhere}. Check that the address")

    configure(browser, ext_id, endpoint.url, "not-the-key")
    assert (
        press_test_connection(browser)
        == f"The recqual service at {endpoint.url} refused the API key. Check the key in the extension's options, or ask your IT team for the current one."
    )
    assert check_message(browser, case_page, record).startswith(f"The recqual service at {endpoint.url} refused the API key.")
    configure(browser, ext_id, endpoint.url, "")
    assert check_message(browser, case_page, record).startswith(f"The recqual service at {endpoint.url} needs an API key.")

    configure(browser, ext_id, endpoint.url, API_KEY)
    assert press_test_connection(browser) == f"Connected to the recqual service at {endpoint.url}, and it accepts the API key."
    too_long = "Social worker to visit. " * (MAX_REQUEST_BYTES // 20)
    message = check_message(browser, case_page, too_long)
    assert message.startswith("This record is too long for the recqual service to check.") and f"{MAX_REQUEST_BYTES:,} bytes" in message
    before = checks(endpoint)
    assert check_message(browser, case_page, "  \n ") == "The editor is empty: there is nothing to check yet."
    assert settle(endpoint, before) == before

    # An address that is not https:// (other than this computer) is refused before anything is saved.
    status = configure(browser, ext_id, "http://recqual.example.org", API_KEY)
    assert status.startswith("The address must start with https://")
    assert stored(browser, ext_id)["local"]["endpoint"] == endpoint.url


def test_checking_in_the_background_is_off_unless_turned_on(browser, ext_id, case_page, endpoint):
    configure(browser, ext_id, endpoint.url, API_KEY)
    browser.get(case_page)
    minutes = browser.find_element(By.ID, "minutes")
    minutes.click()
    before = checks(endpoint)
    minutes.send_keys("Recommendations\n1. SW to visit Chidera asap.")
    time.sleep(2.6)  # longer than the pause after which a background check would start
    assert checks(endpoint) == before
    assert part(browser, "control").text == "Check record"

    configure(browser, ext_id, endpoint.url, API_KEY, background=True)
    browser.get(case_page)
    minutes = browser.find_element(By.ID, "minutes")
    minutes.click()
    minutes.send_keys("Recommendations\n1. SW to visit Chidera asap.")
    assert settle(endpoint, before + 1) == before + 1
    report = analyse("Recommendations\n1. SW to visit Chidera asap.")
    wait(browser, 10).until(lambda b: part(b, "control").text == f"Check record · {report.score}")
    configure(browser, ext_id, endpoint.url, API_KEY, background=False)


def test_an_administrators_settings_win_and_cannot_be_changed_on_the_options_page(browser, ext_id, endpoint):
    configure(browser, ext_id, endpoint.url, API_KEY)
    policy = {"endpoint": "https://recqual.example.org", "apiKey": "organisation-key"}
    # Stands in for the browser's policy: what storage.managed answers once an administrator has set the values.
    script = browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": f"chrome.storage.managed.get = () => Promise.resolve({json.dumps(policy)});"}
    )
    try:
        browser.get(f"chrome-extension://{ext_id}/options.html")
        wait(browser, 10).until(lambda b: b.find_element(By.ID, "save").is_enabled())
        endpoint_field, key_field = browser.find_element(By.ID, "endpoint"), browser.find_element(By.ID, "api-key")
        assert (endpoint_field.get_attribute("value"), key_field.get_attribute("value")) == (policy["endpoint"], policy["apiKey"])
        assert not endpoint_field.is_enabled() and not key_field.is_enabled()
        assert browser.find_element(By.ID, "managed-note").is_displayed()
        assert browser.find_element(By.ID, "background-check").is_enabled()  # not set by the administrator: the user's choice
        browser.find_element(By.ID, "save").click()
        wait(browser, 10).until(lambda b: b.find_element(By.ID, "status").text == "Saved. Checks go to https://recqual.example.org/v1/check.")
        settings = browser.execute_async_script("recqualSettings.read().then(arguments[arguments.length - 1])")
        assert (settings["endpoint"], settings["apiKey"]) == (policy["endpoint"], policy["apiKey"])
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    # The user's own values are left as they were, under the administrator's.
    assert stored(browser, ext_id)["local"] == {"endpoint": endpoint.url, "apiKey": API_KEY}
