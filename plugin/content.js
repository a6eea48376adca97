// In the page: the "Check record" control beside the editor being written in, and the panel with
// the score, the grade and the findings; clicking a finding selects its words in the editor.
//
// The record's text leaves the page only when the user presses Check record (the control, the
// toolbar button or the shortcut), or, if the user turned it on in the options, when they pause
// typing. It goes to the background script, which sends it to the configured service and nowhere
// else. The text checked and the result are held in memory while the panel is open and dropped
// when it closes; nothing is written to any storage.
"use strict";

(function () {
  if (globalThis.recqualContentLoaded) return; // the toolbar button may add this script to a page that has it
  globalThis.recqualContentLoaded = true;

  const api = globalThis.browser || globalThis.chrome;
  const editorText = globalThis.recqualEditorText;
  const MIN_HEIGHT = 60; // px: a one-line input or a search box is not where a record is written
  const MIN_WIDTH = 200;
  const PAUSE_MS = 2000; // background checking: a pause in typing this long starts a check
  const SEVERITY_WORDS = { error: "Must fix", warning: "Should fix", info: "Worth a look" };
  const WORDS = {
    control: "Check record",
    title: "Record check",
    checking: "Checking the record…",
    close: "Close the record check",
    move: "Move the panel to the other side",
    empty: "The editor is empty: there is nothing to check yet.",
    noEditor: "Click into the record you are writing (a large text box or editor), then press Check record again.",
    noFindings: "No findings: nothing to fix.",
    wholeRecord: "The whole record",
    changed: "The record has changed since this check. Press Check again to check it as it is now.",
    gone: "These words are no longer in the record. Press Check again.",
    again: "Check again",
    options: "Open the options",
    kept: "Nothing is kept once you close this panel.",
    failed: "The check did not work.",
  };

  let current = null; // the editor the user is writing in (or last wrote in) on this page
  let root = null; // {host, shadow, control, panel}
  let session = null; // while the panel is open: {editor, checkedText, result, token}
  let pageSettings = { backgroundCheck: false };
  let pauseTimer = null;
  let lastAutomatic = null; // a fingerprint of the text last checked in the background, never the text
  let hideTimer = null;
  let token = 0;

  // ---- finding the editor --------------------------------------------------------------------

  function deepTarget(event) {
    const path = event.composedPath ? event.composedPath() : [];
    return path.length ? path[0] : event.target;
  }

  function big(element) {
    const box = element.getBoundingClientRect();
    return box.height >= MIN_HEIGHT && box.width >= MIN_WIDTH;
  }

  // The editor `node` is in, if it is one a record is written in: a large textarea or a large
  // contenteditable area (its editing host, not a paragraph inside it).
  function editorFrom(node) {
    if (!node || node.nodeType !== Node.ELEMENT_NODE || (root && root.host.contains(node))) return null;
    if (node instanceof HTMLTextAreaElement) return !node.disabled && !node.readOnly && big(node) ? node : null;
    if (!node.isContentEditable) return null;
    let host = node;
    while (host.parentElement && host.parentElement.isContentEditable) host = host.parentElement;
    return big(host) ? host : null;
  }

  // The focused element, looking inside shadow roots (an editor may be part of a web component).
  function deepActive() {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    return active;
  }

  function focusedEditor() {
    return editorFrom(deepActive()) || (current && current.isConnected ? current : null);
  }

  // ---- the control and the panel live in one shadow root, out of reach of the page's styles ---

  function make(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function ensureRoot() {
    if (root && root.host.isConnected) return root;
    const host = document.createElement("recqual-check");
    // Set through the CSSOM, which a page's Content-Security-Policy allows, unlike a style attribute.
    for (const [name, value] of [["all", "initial"], ["position", "fixed"], ["top", "0"], ["left", "0"], ["width", "0"], ["height", "0"], ["z-index", "2147483647"]]) {
      host.style.setProperty(name, value, "important");
    }
    const shadow = host.attachShadow({ mode: "open" });
    shadow.append(make("link", { rel: "stylesheet", href: api.runtime.getURL("panel.css") }));
    const control = make("button", { type: "button", class: "control", hidden: true, "data-recqual": "control" }, make("span", { class: "control-label", text: WORDS.control }));
    // Pressing the control must not take the focus (and the caret) out of the editor.
    control.addEventListener("mousedown", (event) => event.preventDefault());
    control.addEventListener("click", () => {
      if (current) startCheck(current, false);
    });
    shadow.append(control);
    document.documentElement.append(host);
    root = { host: host, shadow: shadow, control: control, panel: null };
    return root;
  }

  function placeControl() {
    if (!root || root.control.hidden || !current) return;
    const box = current.getBoundingClientRect();
    const button = root.control.getBoundingClientRect();
    if (!box.width || !box.height || box.bottom < 0 || box.top > window.innerHeight) {
      root.control.style.setProperty("visibility", "hidden");
      return;
    }
    root.control.style.removeProperty("visibility");
    // Just below the editor's bottom right corner, or inside it when there is no room below.
    let top = box.bottom + 4;
    if (top + button.height > window.innerHeight) top = Math.max(box.top, Math.min(box.bottom, window.innerHeight) - button.height - 6);
    const left = Math.max(4, Math.min(box.right, window.innerWidth) - button.width);
    root.control.style.setProperty("top", top + "px");
    root.control.style.setProperty("left", left + "px");
  }

  function showControl(editor) {
    current = editor;
    ensureRoot().control.hidden = false;
    placeControl();
  }

  function hideControl() {
    if (root) root.control.hidden = true;
  }

  function setControlScore(score) {
    if (!root) return;
    root.control.querySelector(".control-label").textContent = score === null ? WORDS.control : WORDS.control + " · " + score;
  }

  function closePanel(returnFocus) {
    token++;
    const editor = session && session.editor;
    session = null; // the text checked and the findings go with the panel
    if (root && root.panel) {
      root.panel.remove();
      root.panel = null;
    }
    if (returnFocus && editor && editor.isConnected) editor.focus({ preventScroll: true });
  }

  function openPanel(editor) {
    const { shadow } = ensureRoot();
    if (root.panel) root.panel.remove();
    const close = make("button", { type: "button", class: "close", "aria-label": WORDS.close, "data-recqual": "close", text: "×" });
    close.addEventListener("click", () => closePanel(true));
    // The panel may cover the words a finding points at; it can move to the other side of the window.
    const move = make("button", { type: "button", class: "move", "aria-label": WORDS.move, title: WORDS.move, "data-recqual": "move", text: "⇆" });
    move.addEventListener("click", () => root.panel.classList.toggle("left"));
    const panel = make(
      "section",
      { class: "panel", role: "dialog", "aria-labelledby": "recqual-title", "data-recqual": "panel" },
      make("header", {}, make("h2", { id: "recqual-title", tabindex: "-1", text: WORDS.title }), make("span", { class: "tools" }, move, close)),
      make("p", { class: "status", role: "status", "aria-live": "polite", "data-recqual": "status" }),
      make("div", { class: "body", "data-recqual": "body" })
    );
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        closePanel(true);
      }
    });
    shadow.append(panel);
    root.panel = panel;
    session = { editor: editor, checkedText: null, result: null, token: ++token };
    return panel;
  }

  function part(name) {
    return root.panel.querySelector('[data-recqual="' + name + '"]');
  }

  function showError(message, withOptions) {
    const body = part("body");
    body.replaceChildren(make("p", { class: "alert", role: "alert", "data-recqual": "error", text: message }));
    if (withOptions) {
      const open = make("button", { type: "button", class: "secondary", text: WORDS.options });
      open.addEventListener("click", () => api.runtime.sendMessage({ type: "open-options" }));
      body.append(open);
    }
    part("status").textContent = "";
  }

  function humanise(word) {
    const spaced = String(word || "").replace(/_/g, " ");
    return spaced.charAt(0).toUpperCase() + spaced.slice(1);
  }

  function quote(text, max) {
    const one = text.replace(/\s+/g, " ").trim();
    return one.length > max ? one.slice(0, max - 1) + "…" : one;
  }

  function renderResult(result, checkedText) {
    const body = part("body");
    const subscores = make("dl", { class: "subscores" });
    for (const [name, value] of Object.entries(result.subscores)) subscores.append(make("dt", { text: humanise(name) }), make("dd", { text: String(value) }));
    const findings = make("ol", { class: "findings", "data-recqual": "findings" });
    result.findings.forEach((finding, index) => findings.append(renderFinding(finding, index, checkedText)));
    body.replaceChildren(
      make(
        "div",
        { class: "summary" },
        make("p", { class: "score" }, make("span", { "data-recqual": "score", text: String(result.score) }), make("span", { class: "out-of", text: "/100" })),
        make("p", { class: "grade", "data-recqual": "grade", text: humanise(result.grade) })
      ),
      subscores,
      make("p", { class: "stale", hidden: true, "data-recqual": "stale", text: WORDS.changed }),
      result.findings.length ? findings : make("p", { text: WORDS.noFindings })
    );
    const again = make("button", { type: "button", class: "secondary", "data-recqual": "again", text: WORDS.again });
    again.addEventListener("click", () => startCheck(session.editor, true));
    body.append(make("footer", {}, make("p", { text: "Checked by " + result.service + ". " + WORDS.kept }), again));
    const count = result.findings.length;
    part("status").textContent = "Score " + result.score + ", " + result.grade + ", " + count + (count === 1 ? " finding." : " findings.");
  }

  function renderFinding(finding, index, checkedText) {
    const words = finding.length ? quote(checkedText.slice(finding.offset, finding.offset + finding.length), 90) : WORDS.wholeRecord;
    const detailId = "recqual-finding-" + index;
    const button = make(
      "button",
      { type: "button", class: "finding " + finding.severity, "data-finding": String(index), "data-code": finding.code, "aria-expanded": "false", "aria-controls": detailId },
      make("span", { class: "severity", text: SEVERITY_WORDS[finding.severity] || humanise(finding.severity) }),
      make("span", { class: "title", text: finding.title }),
      make("span", { class: finding.length ? "words" : "words whole", text: words })
    );
    const detail = make(
      "div",
      { class: "detail", id: detailId, hidden: true, "data-recqual": "detail" },
      make("p", { class: "message", text: finding.message }),
      finding.suggestion ? make("p", { class: "suggestion", text: finding.suggestion }) : null,
      make("p", { class: "note", hidden: true, "data-recqual": "note" })
    );
    button.addEventListener("click", () => showFinding(index, button, detail));
    return make("li", {}, button, detail);
  }

  function showFinding(index, button, detail) {
    if (!session || !session.result) return;
    const finding = session.result.findings[index];
    for (const other of root.panel.querySelectorAll(".finding")) {
      const open = other === button;
      other.setAttribute("aria-expanded", String(open));
      other.toggleAttribute("aria-current", open);
      other.nextElementSibling.hidden = !open;
    }
    detail.scrollIntoView({ block: "nearest" });
    const note = detail.querySelector('[data-recqual="note"]');
    note.hidden = true;
    if (!finding.length) return;
    const now = editorText.read(session.editor);
    const where = editorText.find(session.checkedText, now, finding.offset, finding.offset + finding.length);
    if (!where || !editorText.select(now, where.start, where.end)) {
      note.textContent = WORDS.gone;
      note.hidden = false;
    }
  }

  // ---- checking ------------------------------------------------------------------------------

  async function send(text, automatic) {
    try {
      return await api.runtime.sendMessage({ type: "check", text: text, automatic: automatic });
    } catch (err) {
      // The extension was updated or reloaded since this page opened: its background is gone.
      return { ok: false, error: { kind: "reloaded", message: "The extension was updated. Reload this page, then press Check record again." } };
    }
  }

  async function startCheck(editor, focusResult) {
    const snapshot = editorText.read(editor);
    openPanel(editor);
    const mine = session.token;
    if (!snapshot.text.trim()) {
      showError(WORDS.empty, false);
      return;
    }
    part("status").textContent = WORDS.checking;
    const reply = await send(snapshot.text, false);
    if (!session || session.token !== mine) return; // closed, or another check started meanwhile
    if (!reply || !reply.ok) {
      const kind = reply && reply.error ? reply.error.kind : "";
      showError(reply && reply.error ? reply.error.message : WORDS.failed, ["not_configured", "bad_endpoint", "needs_key", "key_refused"].includes(kind));
    } else {
      session.checkedText = snapshot.text;
      session.result = reply.result;
      renderResult(reply.result, snapshot.text);
      setControlScore(reply.result.score);
      lastAutomatic = fingerprint(snapshot.text);
    }
    if (focusResult) root.panel.querySelector("h2").focus({ preventScroll: true });
  }

  // A short fingerprint (FNV-1a) so that background checking can tell the text has changed without keeping it.
  function fingerprint(text) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return text.length + ":" + hash;
  }

  async function checkInBackground(editor) {
    if (!pageSettings.backgroundCheck || !editor.isConnected) return;
    const text = editorText.read(editor).text;
    const print = fingerprint(text);
    if (!text.trim() || print === lastAutomatic) return;
    lastAutomatic = print;
    const reply = await send(text, true);
    if (!reply || !reply.ok) return; // a failed background check stays quiet; pressing Check record says why
    setControlScore(reply.result.score);
    if (session && session.editor === editor && session.result && fingerprint(editorText.read(editor).text) === print) {
      session.checkedText = text;
      session.result = reply.result;
      renderResult(reply.result, text);
    }
  }

  async function refreshPageSettings() {
    try {
      pageSettings = (await api.runtime.sendMessage({ type: "page-settings" })) || { backgroundCheck: false };
    } catch (err) {
      pageSettings = { backgroundCheck: false };
    }
  }

  // ---- events --------------------------------------------------------------------------------

  document.addEventListener(
    "focusin",
    (event) => {
      const editor = editorFrom(deepTarget(event));
      if (!editor) return;
      clearTimeout(hideTimer);
      if (editor !== current) setControlScore(null);
      showControl(editor);
      api.runtime.sendMessage({ type: "editor-focused" }).catch(() => {});
      refreshPageSettings();
    },
    true
  );

  document.addEventListener(
    "focusout",
    (event) => {
      if (deepTarget(event) !== current) return;
      // Later, so that a click on the control (which keeps the focus) or a refocus is seen first.
      hideTimer = setTimeout(() => {
        const active = deepActive();
        if (!current || !active || !current.contains(active)) hideControl();
      }, 200);
    },
    true
  );

  document.addEventListener(
    "input",
    (event) => {
      const editor = editorFrom(deepTarget(event)) || (current && current.contains(deepTarget(event)) ? current : null);
      if (!editor) return;
      if (session && session.editor === editor && session.result) part("stale").hidden = false;
      if (pageSettings.backgroundCheck) {
        clearTimeout(pauseTimer);
        pauseTimer = setTimeout(() => checkInBackground(editor), PAUSE_MS);
      }
    },
    true
  );

  for (const name of ["scroll", "resize"]) window.addEventListener(name, () => requestAnimationFrame(placeControl), { capture: true, passive: true });
  window.addEventListener("pagehide", () => closePanel(false));

  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (message && message.type === "check-focused") {
      const editor = focusedEditor();
      if (editor) startCheck(editor, true);
      else {
        openPanel(null);
        showError(WORDS.noEditor, false);
      }
      sendResponse({ ok: true });
    }
    return false;
  });
})();
