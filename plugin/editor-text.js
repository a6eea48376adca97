// The text of an editor as the checker reads it, and the way back from an offset in that text to
// the words on the page.
//
// A textarea's value is its text, and its selection is set with the same offsets. A contenteditable
// editor's text is read the way it looks: each block on its own line (a paragraph followed by a blank
// line), <br> a line break, table cells separated by tabs and rows by line breaks (so a table of
// recommendations reads as the tab table the checker knows), list items with their number or bullet,
// runs of spaces collapsed where the page collapses them. Every character of that text remembers the
// text node and position it came from, or, for a line break or tab the layout adds, the nearest text
// on either side. Offsets are JavaScript string indexes, that is UTF-16 code units, the unit the
// service's `matches` use.
//
// Loaded as a content script (before content.js), and as a plain page script by the tests.
"use strict";

var recqualEditorText = (function () {
  const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT", "SVG", "CANVAS", "VIDEO", "AUDIO"]);
  const BLOCK = /^(block|flex|grid|list-item|table|flow-root|table-caption|table-row-group|table-header-group|table-footer-group)$/;
  const COLLAPSIBLE = /[ \t\n\r\f]+/g;

  function isTextField(element) {
    return element instanceof HTMLTextAreaElement;
  }

  // Builds the text of a contenteditable element and the pieces that map it back to the DOM.
  class Builder {
    constructor() {
      this.parts = [];
      this.length = 0;
      // Each piece: {start, end, node, nodeStart} for text from a node (node null for a break or tab
      // the layout adds), in order; `collapsed` marks a single space standing for a run of spaces.
      this.pieces = [];
      this.pendingBreaks = 0;
    }

    lastChar() {
      const last = this.parts[this.parts.length - 1];
      return last ? last[last.length - 1] : "";
    }

    trailingNewlines() {
      let count = 0;
      for (let i = this.parts.length - 1; i >= 0; i--) {
        const part = this.parts[i];
        for (let j = part.length - 1; j >= 0; j--) {
          if (part[j] !== "\n") return count;
          count++;
        }
      }
      return count;
    }

    push(text, node, nodeStart, collapsed) {
      if (!text) return;
      this.pieces.push({ start: this.length, end: this.length + text.length, node: node, nodeStart: nodeStart, collapsed: Boolean(collapsed) });
      this.parts.push(text);
      this.length += text.length;
    }

    // A space that collapsed whitespace left just before a line break is not shown; drop it.
    dropTrailingSpace() {
      const last = this.pieces[this.pieces.length - 1];
      if (last && last.collapsed) {
        this.pieces.pop();
        this.parts.pop();
        this.length -= 1;
      }
    }

    // Line breaks a block boundary asks for are written only once text follows them, and count the
    // breaks already there (a <br> ending a block does not make a blank line).
    flushBreaks() {
      if (!this.pendingBreaks) return;
      if (this.length) {
        this.dropTrailingSpace();
        const wanted = this.pendingBreaks - this.trailingNewlines();
        if (wanted > 0) this.push("\n".repeat(wanted), null, 0);
      }
      this.pendingBreaks = 0;
    }

    requireBreaks(count) {
      this.pendingBreaks = Math.max(this.pendingBreaks, count);
    }

    text(node, whiteSpace) {
      const data = node.data;
      if (!data) return;
      const keepSpaces = /^(pre|pre-wrap|break-spaces)$/.test(whiteSpace);
      const keepNewlines = keepSpaces || whiteSpace === "pre-line";
      if (keepSpaces) {
        this.flushBreaks();
        this.push(data.replace(/\u00a0/g, " "), node, 0);
        return;
      }
      let at = 0;
      for (const run of data.matchAll(COLLAPSIBLE)) {
        this.words(node, data, at, run.index);
        this.space(node, run.index, run[0], keepNewlines);
        at = run.index + run[0].length;
      }
      this.words(node, data, at, data.length);
    }

    words(node, data, from, to) {
      if (to <= from) return;
      this.flushBreaks();
      // A no-break space reads as a space; it stays one character, so offsets do not move.
      this.push(data.slice(from, to).replace(/\u00a0/g, " "), node, from);
    }

    space(node, index, run, keepNewlines) {
      if (keepNewlines && run.includes("\n")) {
        // pre-line: each newline stays (mapped to its own character), the spaces around it go.
        this.dropTrailingSpace();
        let offset = index;
        for (const char of run) {
          if (char === "\n") {
            this.flushBreaks();
            this.push("\n", node, offset);
          }
          offset++;
        }
        return;
      }
      // Collapsible spaces vanish at the start of a line or a cell and after another collapsible
      // space, but not after a no-break space (which an editor writes to keep two spaces).
      const last = this.pieces[this.pieces.length - 1];
      if (!last || this.pendingBreaks || last.collapsed || !last.node || this.lastChar() === "\n") return;
      this.push(" ", node, index, true);
    }

    lineBreak() {
      this.flushBreaks();
      this.dropTrailingSpace();
      this.push("\n", null, 0);
    }

    tab() {
      this.flushBreaks();
      this.dropTrailingSpace();
      this.push("\t", null, 0);
    }

    marker(text) {
      this.flushBreaks();
      this.push(text, null, 0);
    }
  }

  function listMarker(item) {
    const list = item.parentElement;
    if (!list) return "";
    if (list.tagName === "UL") return "- ";
    if (list.tagName !== "OL") return "";
    let number = list.hasAttribute("start") ? parseInt(list.getAttribute("start"), 10) || 1 : 1;
    for (let sibling = item.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (sibling.tagName === "LI") number++;
    }
    return number + ". ";
  }

  function walk(builder, node, whiteSpace) {
    if (node.nodeType === Node.TEXT_NODE) {
      builder.text(node, whiteSpace);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || SKIPPED.has(node.tagName.toUpperCase())) return;
    if (node.tagName === "BR") {
      builder.lineBreak();
      return;
    }
    const style = getComputedStyle(node);
    if (style.display === "none") return;
    const display = style.display;
    const cell = display === "table-cell";
    const row = display === "table-row";
    const breaks = node.tagName === "P" ? 2 : BLOCK.test(display) || row ? 1 : 0;
    if (cell && node.previousElementSibling) builder.tab();
    if (breaks) builder.requireBreaks(breaks);
    if (display === "list-item" && style.listStyleType !== "none") builder.marker(listMarker(node));
    const childSpace = style.whiteSpace || whiteSpace;
    for (let child = node.firstChild; child; child = child.nextSibling) walk(builder, child, childSpace);
    if (breaks) builder.requireBreaks(breaks);
  }

  // The text of an editor and a way to map offsets in it back to the page: {text, element, locate(start, end)}.
  function read(element) {
    if (isTextField(element)) {
      const text = element.value;
      return { text: text, element: element, locate: (start, end) => ({ start: start, end: end }) };
    }
    const builder = new Builder();
    const rootStyle = getComputedStyle(element);
    for (let child = element.firstChild; child; child = child.nextSibling) walk(builder, child, rootStyle.whiteSpace);
    builder.dropTrailingSpace();
    const pieces = builder.pieces;
    const text = builder.parts.join("");
    return { text: text, element: element, locate: (start, end) => locate(pieces, start, end) };
  }

  // The first piece whose end is after `offset` (binary search: pieces are in order and contiguous).
  function pieceAt(pieces, offset) {
    let low = 0;
    let high = pieces.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (pieces[middle].end <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // A DOM position for an offset: `edge` "start" moves forward out of an added break to the next
  // text, "end" moves back to the end of the text before it.
  function position(pieces, offset, edge) {
    if (!pieces.length) return null;
    let index = pieceAt(pieces, edge === "end" ? Math.max(offset - 1, 0) : offset);
    let piece = pieces[index];
    if (piece.node && offset >= piece.start && offset <= piece.end) {
      return { node: piece.node, offset: piece.nodeStart + (offset - piece.start) };
    }
    const step = edge === "end" ? -1 : 1;
    for (index += step; index >= 0 && index < pieces.length; index += step) {
      piece = pieces[index];
      if (piece.node) return edge === "end" ? { node: piece.node, offset: piece.nodeStart + (piece.end - piece.start) } : { node: piece.node, offset: piece.nodeStart };
    }
    return null;
  }

  function locate(pieces, start, end) {
    const from = position(pieces, start, "start");
    const to = end > start ? position(pieces, end, "end") : from;
    if (!from || !to) return null;
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  // Where the words [start, end) of the text checked are in the editor now: the same offsets when
  // the text there is unchanged, else the nearest place the same words occur, else null.
  function find(checkedText, current, start, end) {
    const words = checkedText.slice(start, end);
    if (current.text.slice(start, end) === words) return { start: start, end: end };
    if (!words.trim()) return null;
    let best = null;
    for (let at = current.text.indexOf(words); at !== -1; at = current.text.indexOf(words, at + 1)) {
      if (best === null || Math.abs(at - start) < Math.abs(best - start)) best = at;
    }
    return best === null ? null : { start: best, end: best + words.length };
  }

  // Scrolls a textarea so that `offset` is in view, measuring where its line falls with a hidden copy
  // that wraps the same way (a textarea has no API that says where a character is).
  function scrollTextarea(textarea, offset) {
    const style = getComputedStyle(textarea);
    const mirror = document.createElement("div");
    for (const name of ["boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth",
      "borderBottomWidth", "borderLeftWidth", "borderStyle", "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight",
      "textTransform", "wordSpacing", "textIndent", "tabSize", "overflowWrap", "wordBreak"]) {
      mirror.style[name] = style[name];
    }
    Object.assign(mirror.style, { position: "absolute", visibility: "hidden", top: "0", left: "-9999px", whiteSpace: "pre-wrap", overflow: "hidden", height: "auto" });
    mirror.textContent = textarea.value.slice(0, offset);
    const mark = document.createElement("span");
    mark.textContent = "\u200b";
    mirror.append(mark);
    (document.body || document.documentElement).append(mirror);
    const top = mark.offsetTop;
    mirror.remove();
    textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
  }

  function scrollPageTo(element) {
    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) element.scrollIntoView({ block: "center", inline: "nearest" });
  }

  // Selects [start, end) of the text `snapshot` was read from, in its editor, and brings it into view.
  function select(snapshot, start, end) {
    const element = snapshot.element;
    element.focus({ preventScroll: true });
    if (isTextField(element)) {
      element.setSelectionRange(start, end, "forward");
      scrollTextarea(element, start);
      scrollPageTo(element);
      return true;
    }
    const range = snapshot.locate(start, end);
    if (!range) return false;
    const selection = element.ownerDocument.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    // Bring the words' block into view inside the editor and the page, then, for a block taller than
    // the window, the words themselves.
    const target = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer : range.startContainer.parentElement;
    if (target) target.scrollIntoView({ block: "nearest", inline: "nearest" });
    const box = range.getBoundingClientRect();
    if (box.height && (box.top < 0 || box.bottom > window.innerHeight)) window.scrollBy(0, box.top - window.innerHeight / 3);
    return true;
  }

  return { read, find, select };
})();
