"""How the extension reads a rich-text editor and finds a finding's words in it again (plugin/editor-text.js).

The extension's own script runs in headless Chromium on editors of every shape a case-recording
system produces. Its text is what the checker reads (so it must look like the record: a line per
block, a blank line after a paragraph, tabs between table cells); an offset in that text, counted in
UTF-16 units as the service's matches are, must come back to the same words in the page.
"""

from __future__ import annotations

import pytest

from browser_support import require_chromium

from .conftest import ROOT

require_chromium()

EDITOR_TEXT_JS = ROOT / "plugin/editor-text.js"

# Builds an editor from HTML in a blank page, reads it, and maps each [start, end) back to a DOM range.
READ = """
const [html, styles, spans] = arguments;
const editor = document.createElement("div");
editor.contentEditable = "true";
editor.style.width = "640px";
document.body.replaceChildren(editor);
editor.innerHTML = html;
for (const [selector, property, value] of styles) editor.querySelectorAll(selector).forEach((e) => (e.style[property] = value));
const read = recqualEditorText.read(editor);
return {text: read.text, ranges: spans.map(([start, end]) => { const range = read.locate(start, end); return range && range.toString(); })};
"""

CASES = [
    # (what it is, the editor's HTML, styles set on it, its text, [(words in the text, what the range over them holds in the page)])
    (
        "lines as Chromium's editor writes them",
        "<div>Recommendations</div><div><br></div><div>1. SW to visit&nbsp; Chidera asap</div>",
        [],
        "Recommendations\n\n1. SW to visit  Chidera asap",
        [("asap", "asap"), ("visit  Chidera", "visit\u00a0 Chidera"), ("Recommendations\n\n1.", "Recommendations1.")],
    ),
    (
        "paragraphs and line breaks",
        "<p>First paragraph</p><p>Second<br>line</p>",
        [],
        "First paragraph\n\nSecond\nline",
        [("paragraph\n\nSecond", "paragraphSecond")],
    ),
    ("a line break ending a block makes no blank line", "<div>text<br></div><div>next</div>", [], "text\nnext", [("next", "next")]),
    ("spaces kept with no-break spaces", "<p>a&nbsp; b&nbsp;&nbsp;c</p>", [], "a  b  c", [("b  c", "b\u00a0\u00a0c")]),
    (
        "a table reads as a tab table",
        "<table><tbody><tr><td>Action</td><td>Who</td></tr><tr><td>Visit Chidera</td><td>SW</td></tr></tbody></table><p>After</p>",
        [],
        "Action\tWho\nVisit Chidera\tSW\n\nAfter",
        [("Chidera\tSW", "ChideraSW"), ("After", "After")],
    ),
    (
        "a table written with spaces between its tags",
        "<table>\n <tr>\n  <td>Action</td>\n  <td>Who</td>\n </tr>\n <tr>\n  <td>Visit</td>\n  <td>SW</td>\n </tr>\n</table>",
        [],
        "Action\tWho\nVisit\tSW",
        [("Who\nVisit", "Who\n \n \n  Visit")],
    ),
    (
        "numbered and bulleted lists keep their numbers and bullets",
        '<ol start="3"><li>Three</li><li>Four</li></ol><ul><li>Dot</li></ul>',
        [],
        "3. Three\n4. Four\n- Dot",
        [("3. Three", "Three"), ("Four\n- Dot", "FourDot")],
    ),
    ("spaces the page collapses", "<div>  leading and <b>bold</b>\n  text  </div>", [], "leading and bold text", [("bold text", "bold\n  text")]),
    ("pre-wrap keeps every space and newline", '<div class="pre">a  b\nc</div>', [(".pre", "whiteSpace", "pre-wrap")], "a  b\nc", [("b\nc", "b\nc")]),
    ("pre-line keeps newlines only", '<div class="pl">a   b\n  c</div>', [(".pl", "whiteSpace", "pre-line")], "a b\nc", [("b\nc", "b\n  c")]),
    ("an emoji counts two UTF-16 units", "<p>x 🌻 y and z</p>", [], "x 🌻 y and z", [("y and", "y and"), ("🌻", "🌻")]),
    ("hidden text is not read", '<p>Shown<span class="gone">hidden</span> text</p>', [(".gone", "display", "none")], "Shown text", [("text", "text")]),
    (
        "words split across inline elements",
        "<p><span>Social</span> <span>worker</span> to visit</p>",
        [],
        "Social worker to visit",
        [("worker to", "worker to")],
    ),
    ("indentation in the HTML", "<div>\n  <p>One</p>\n  <p>Two</p>\n</div>", [], "One\n\nTwo", [("Two", "Two")]),
    ("headings and text after a block", "<h2>Education</h2>Attends school.<div>a</div>b", [], "Education\nAttends school.\na\nb", [("school.\na", "school.a")]),
    ("scripts and styles are not text", "<p>a<script>var x = 1;</script><style>p {}</style>b</p>", [], "ab", [("a", "a"), ("b", "b")]),
]


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def page(browser):
    browser.get("data:text/html;charset=utf-8,<!doctype html><html><body></body></html>")
    browser.execute_script(EDITOR_TEXT_JS.read_text(encoding="utf-8") + "\nwindow.recqualEditorText = recqualEditorText;")
    return browser


@pytest.mark.parametrize(("html", "styles", "text", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_an_editor_reads_as_it_looks_and_offsets_come_back_to_the_same_words(page, html, styles, text, words):
    spans = []
    for needle, _ in words:
        start = text.index(needle)
        spans.append([utf16(text, start), utf16(text, start + len(needle))])
    result = page.execute_script(READ, html, styles, spans)
    assert result["text"] == text
    assert result["ranges"] == [in_page for _, in_page in words]


FIND = "return recqualEditorText.find(arguments[0], {text: arguments[1]}, arguments[2], arguments[3]);"


def test_a_finding_finds_its_words_again_after_the_record_changed(page):
    checked = "SW to visit asap. Carers to visit asap."
    first, second = checked.index("asap"), checked.rindex("asap")
    assert page.execute_script(FIND, checked, checked, first, first + 4) == {"start": first, "end": first + 4}
    # Words added before: the same words, moved along.
    assert page.execute_script(FIND, checked, "Draft. " + checked, second, second + 4) == {"start": second + 7, "end": second + 11}
    # Where the words occur twice, the nearer to where they were.
    assert page.execute_script(FIND, checked, "Draft. " + checked, first, first + 4) == {"start": first + 7, "end": first + 11}
    # Words no longer there: nothing to select.
    assert page.execute_script(FIND, checked, "SW to visit by 30 April.", second, second + 4) is None
