// The checking page: sends the record to POST /v1/check and shows the report.
// Nothing is written to localStorage, sessionStorage, cookies or IndexedDB: the report lives
// in this page's memory until it is cleared or closed.
// Highlights use the response's `matches`, whose offsets count UTF-16 code units, the same
// units JavaScript strings are indexed by, so `text.slice(offset, offset + length)` is exact.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };
  const SEVERITY_WORDS = { error: "Must fix", warning: "Should fix", info: "Worth a look" };

  let report = null; // the last report, in memory only

  // ---- helpers ------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function humanise(word) {
    const spaced = String(word || "").replace(/_/g, " ");
    return spaced.charAt(0).toUpperCase() + spaced.slice(1);
  }

  function squash(text, max) {
    const one = String(text).replace(/\s+/g, " ").trim();
    return one.length > max ? one.slice(0, max - 1) + "…" : one;
  }

  // "2025-07-25" as "25 July 2025", the way the record's readers write dates.
  function ukDate(iso) {
    const date = new Date(iso + "T00:00:00Z");
    return isNaN(date) ? iso : date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function setStatus(message) {
    $("status").textContent = message;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
    if (message) box.focus();
  }

  // ---- files: choose or drop ------------------------------------------------------------

  function chosenFile(inputId) {
    const input = $(inputId);
    return input.files && input.files.length ? input.files[0] : null;
  }

  function syncFileButtons() {
    document.querySelectorAll("[data-clear-file]").forEach((button) => {
      button.hidden = !chosenFile(button.getAttribute("data-clear-file"));
    });
  }

  function wireFiles() {
    document.querySelectorAll("[data-drop-target]").forEach((box) => {
      const input = $(box.getAttribute("data-drop-target"));
      box.addEventListener("dragover", (event) => {
        event.preventDefault();
        box.classList.add("dragging");
      });
      box.addEventListener("dragleave", () => box.classList.remove("dragging"));
      box.addEventListener("drop", (event) => {
        event.preventDefault();
        box.classList.remove("dragging");
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          syncFileButtons();
          setStatus(`File chosen: ${input.files[0].name}. Press "Check the record".`);
        }
      });
    });
    document.querySelectorAll('input[type="file"]').forEach((input) => input.addEventListener("change", syncFileButtons));
    document.querySelectorAll("[data-clear-file]").forEach((button) => {
      button.addEventListener("click", () => {
        const input = $(button.getAttribute("data-clear-file"));
        input.value = "";
        syncFileButtons();
        input.focus();
      });
    });
  }

  // ---- the request ----------------------------------------------------------------------

  function buildRequest() {
    const text = $("record-text").value;
    const previousText = $("previous-text").value;
    const reviewDate = $("review-date").value;
    const file = chosenFile("record-file");
    const previousFile = chosenFile("previous-file");
    const headers = {};
    const key = $("api-key").value.trim();
    if (key) headers["X-API-Key"] = key;

    if (file && text.trim()) throw new Error("Paste the text or choose a file for the record, not both.");
    if (previousFile && previousText.trim()) throw new Error("Paste the previous record or choose its file, not both.");
    if (!file && !text.trim()) throw new Error("Paste the record's text or choose its file first.");

    if (file || previousFile) {
      const form = new FormData();
      if (file) form.append("file", file, file.name);
      else form.append("text", text);
      if (previousFile) form.append("previous_file", previousFile, previousFile.name);
      else if (previousText.trim()) form.append("previous_text", previousText);
      if (reviewDate) form.append("review_date", reviewDate);
      return { headers, body: form };
    }
    headers["Content-Type"] = "application/json";
    const body = { text };
    if (previousText.trim()) body.previous_text = previousText;
    if (reviewDate) body.review_date = reviewDate;
    return { headers, body: JSON.stringify(body) };
  }

  async function check(event) {
    event.preventDefault();
    showError("");
    let request;
    try {
      request = buildRequest();
    } catch (problem) {
      showError(problem.message);
      return;
    }
    const button = $("check-button");
    button.disabled = true;
    setStatus("Checking the record…");
    const started = performance.now();
    try {
      const response = await fetch("/v1/check", {
        method: "POST",
        headers: request.headers,
        body: request.body,
        cache: "no-store",
        credentials: "omit",
      });
      const answer = await response.json().catch(() => null);
      if (!response.ok) {
        const message = answer && answer.error ? answer.error.message : `The server answered ${response.status}.`;
        if (response.status === 401) {
          $("key-field").hidden = false;
          showError(message + " Enter the key below and press Check again.");
          $("api-key").focus();
        } else {
          showError(message);
        }
        setStatus("");
        return;
      }
      report = answer;
      render(report);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(`Checked in ${seconds} s: score ${report.score} (${report.grade}), ${report.matches.length} finding${report.matches.length === 1 ? "" : "s"}.`);
    } catch (problem) {
      showError("The check could not reach the server. Is it still running?");
      setStatus("");
    } finally {
      button.disabled = false;
    }
  }

  // ---- showing the report -----------------------------------------------------------------

  function flagOf(match) {
    return report.flags[match.flag];
  }

  function render(data) {
    $("results").hidden = false;
    renderScore(data);
    renderText(data);
    renderRecommendations(data);
    renderIssues(data);
    renderFindings(data);
    showNote(null);
  }

  function renderScore(data) {
    $("score").textContent = data.score;
    $("grade").textContent = data.grade;
    $("grade").className = "grade grade-" + String(data.grade).replace(/\s+/g, "-");
    $("score-source").textContent = `Checked: ${data.source === "<text>" ? "the pasted text" : data.source}` +
      (data.review_date ? ` · review of ${ukDate(data.review_date)}` : "") +
      (data.previous_source ? ` · compared with ${data.previous_source === "<previous_text>" ? "the pasted previous record" : data.previous_source}` : "");
    const rows = $("subscores").tBodies[0];
    rows.replaceChildren(...Object.entries(data.subscores).map(([name, value]) =>
      el("tr", {},
        el("th", { scope: "row", text: humanise(name) }),
        el("td", {}, el("meter", { min: "0", max: "100", low: "50", high: "70", optimum: "100", value: String(value), "aria-hidden": "true" }), ` ${value}`),
      )));
    const reasons = $("reasons").tBodies[0];
    reasons.replaceChildren(...data.reasons.map((r) =>
      el("tr", {}, el("td", { text: humanise(r.subscore) + (r.criterion ? ": " + String(r.criterion).replace(/_/g, " ") : "") }),
        el("td", { text: humanise(r.flag) }), el("td", { text: r.count }), el("td", { text: r.points }))));
    $("reasons-details").hidden = data.reasons.length === 0;
    renderReadability(data.readability);
  }

  // The recommendations' reading age and sentence length, for the child who reads them.
  function renderReadability(r) {
    const shown = Boolean(r && r.words);
    $("readability").hidden = !shown;
    if (!shown) return;
    const age = r.measurable ? `a reading age of about ${r.reading_age} (Flesch-Kincaid grade ${r.grade_level}; the aim is ${r.limits.reading_age} or under)`
      : `too few words for a reading age`;
    $("readability").textContent = `Readability of the recommendations for the child: ${age}; ${r.mean_sentence_words} words a sentence on average, ` +
      `the longest ${r.longest_sentence_words}; ${r.jargon.length} professional word${r.jargon.length === 1 ? "" : "s"} and ` +
      `${r.unexplained_abbreviations.length} abbreviation${r.unexplained_abbreviations.length === 1 ? "" : "s"} not spelled out.`;
  }

  // The text, cut at every match boundary; each piece covered by matches becomes one highlight.
  function renderText(data) {
    const text = data.text;
    const spanned = data.matches.filter((m) => m.length > 0);
    const cuts = new Set([0, text.length]);
    spanned.forEach((m) => { cuts.add(m.offset); cuts.add(m.offset + m.length); });
    const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
    const pieces = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i], end = points[i + 1];
      const covering = spanned.filter((m) => m.offset <= start && m.offset + m.length >= end);
      const words = text.slice(start, end);
      if (!covering.length) { pieces.push(document.createTextNode(words)); continue; }
      const worst = covering.reduce((a, m) => (SEVERITY_RANK[m.severity] > SEVERITY_RANK[a] ? m.severity : a), "info");
      const names = covering.map((m) => m.shortMessage).join("; ");
      pieces.push(el("mark", {
        class: `hl sev-${worst}`,
        tabindex: "0",
        role: "button",
        title: covering.map((m) => m.message).join("\n"),
        "aria-label": `${squash(words, 80)}: ${names}`,
        "data-matches": covering.map((m) => m.flag).join(" "),
      }, words));
    }
    $("record").replaceChildren(...pieces);
  }

  function marksFor(flagIndex) {
    return [...$("record").querySelectorAll("mark")].filter((mark) => mark.dataset.matches.split(" ").includes(String(flagIndex)));
  }

  function selectMark(mark) {
    $("record").querySelectorAll("mark.selected").forEach((m) => { m.classList.remove("selected"); m.setAttribute("aria-pressed", "false"); });
    if (!mark) return;
    mark.classList.add("selected");
    mark.setAttribute("aria-pressed", "true");
    const flags = mark.dataset.matches.split(" ").map(Number);
    showNote(report.matches.filter((m) => flags.includes(m.flag)));
  }

  // Show a finding: select its first highlight (or just its note, for the record as a whole).
  function goToFinding(flagIndex) {
    const marks = marksFor(flagIndex);
    if (marks.length) {
      marks[0].scrollIntoView({ block: "center" });
      marks[0].focus();
      selectMark(marks[0]);
    } else {
      selectMark(null);
      showNote(report.matches.filter((m) => m.flag === flagIndex));
      $("note").scrollIntoView({ block: "nearest" });
    }
  }

  function showNote(matches) {
    const body = $("note-body");
    if (!matches || !matches.length) {
      body.replaceChildren(el("p", { text: "Select a highlighted passage to see its finding here." }));
      return;
    }
    body.replaceChildren(...matches.map((m) => {
      const flag = flagOf(m);
      return el("div", { class: `finding sev-${m.severity}` },
        el("p", { class: "finding-title" }, el("span", { class: `badge sev-${m.severity}`, text: SEVERITY_WORDS[m.severity] || m.severity }), " ", el("strong", { text: m.shortMessage })),
        el("p", { class: "finding-message", text: flag.message }),
        flag.suggestion ? el("p", { class: "suggestion" }, el("strong", { text: "Suggestion: " }), flag.suggestion) : null,
        flag.recommendation ? el("p", { class: "help", text: `On recommendation ${flag.recommendation.replace(/^R/, "")}.` }) : null,
      );
    }));
  }

  function findingButtons(flagIndexes) {
    if (!flagIndexes.length) return [el("span", { class: "ok", text: "None" })];
    return flagIndexes.map((i) => el("button", {
      type: "button",
      class: `chip sev-${report.flags[i].severity}`,
      "data-flag": String(i),
      text: humanise(report.flags[i].code),
    }));
  }

  function renderRecommendations(data) {
    const body = $("recommendations").tBodies[0];
    body.replaceChildren(...data.recommendations.map((rec) => {
      const flagIndexes = data.flags.map((f, i) => (f.recommendation === rec.id ? i : -1)).filter((i) => i >= 0);
      const owner = rec.owner
        ? el("span", {}, rec.owner.text, rec.owner.role ? el("span", { class: "role", text: ` (${humanise(rec.owner.role)})` }) : null)
        : el("span", { class: "missing", text: "None named" });
      const deadline = rec.deadline
        ? el("span", {}, rec.deadline.text, el("span", { class: "role", text: rec.deadline.date ? ` (${ukDate(rec.deadline.date)})` : ` (${rec.deadline.kind})` }))
        : el("span", { class: "missing", text: "None given" });
      return el("tr", { "data-rec": rec.id },
        el("td", { text: rec.id.replace(/^R/, "") }),
        el("td", { text: squash(rec.text, 400) }),
        el("td", {}, owner),
        el("td", {}, deadline),
        el("td", { class: "chips" }, ...findingButtons(flagIndexes)));
    }));
    $("recommendations").hidden = data.recommendations.length === 0;
    $("no-recs").hidden = data.recommendations.length !== 0;
  }

  function renderIssues(data) {
    const open = data.issues.filter((issue) => issue.flags.includes("unaddressed_issue"));
    $("issues").replaceChildren(...open.map((issue) => {
      const flagIndex = data.flags.findIndex((f) => f.code === "unaddressed_issue" && f.span && f.span[0] === issue.span[0] && f.span[1] === issue.span[1]);
      return el("li", {},
        el("p", {}, el("strong", { text: humanise(issue.domain) })),
        el("blockquote", { text: squash(issue.evidence, 500) }),
        flagIndex >= 0 ? el("button", { type: "button", class: "link-button", "data-flag": String(flagIndex), text: "Show it in the record" }) : null);
    }));
    $("no-issues").hidden = open.length !== 0;
  }

  function renderFindings(data) {
    $("findings").replaceChildren(...data.matches.map((m) => {
      const flag = flagOf(m);
      const where = m.length ? `“${squash(data.text.slice(m.offset, m.offset + m.length), 90)}”` : "The record as a whole";
      return el("li", { class: `finding sev-${m.severity}` },
        el("p", { class: "finding-title" }, el("span", { class: `badge sev-${m.severity}`, text: SEVERITY_WORDS[m.severity] || m.severity }), " ", el("strong", { text: m.shortMessage }), " · ", where),
        el("p", { text: flag.message }),
        flag.suggestion ? el("p", { class: "suggestion" }, el("strong", { text: "Suggestion: " }), flag.suggestion) : null,
        m.length ? el("button", { type: "button", class: "link-button no-print", "data-flag": String(m.flag), text: "Show it in the record" }) : null);
    }));
  }

  // ---- page actions ---------------------------------------------------------------------

  function download() {
    if (!report) return;
    const blob = new Blob([JSON.stringify(report, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: `recqual-report-${report.review_date || "record"}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  function clearAll() {
    report = null;
    $("check-form").reset();
    syncFileButtons();
    $("results").hidden = true;
    $("record").replaceChildren();
    showError("");
    setStatus("Cleared. Nothing from the record is left on this page.");
    $("record-text").focus();
  }

  function wire() {
    wireFiles();
    $("check-form").addEventListener("submit", check);
    $("clear-button").addEventListener("click", clearAll);
    $("print-button").addEventListener("click", () => window.print());
    // On paper every part of the report shows, folded or not.
    window.addEventListener("beforeprint", () => $("results").querySelectorAll("details").forEach((d) => { d.open = true; }));
    $("download-button").addEventListener("click", download);

    const record = $("record");
    record.addEventListener("click", (event) => {
      const mark = event.target.closest("mark");
      if (mark) selectMark(mark);
    });
    record.addEventListener("keydown", (event) => {
      const mark = event.target.closest("mark");
      if (mark && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        selectMark(mark);
      }
    });
    // Finding buttons in the tables and lists all jump to the finding in the text.
    $("results").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-flag]");
      if (button) goToFinding(Number(button.dataset.flag));
    });
  }

  wire();
})();
