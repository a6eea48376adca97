// The extension's background: checks a record when a page's content script asks (the user pressed
// Check record), starts a check from the toolbar button and the keyboard shortcut, and answers the
// options page. Chromium runs it as a service worker; Firefox loads settings.js and endpoint.js
// before it as background scripts.
"use strict";

if (typeof importScripts === "function" && typeof recqualEndpoint === "undefined") {
  importScripts("settings.js", "endpoint.js");
}

const api = globalThis.browser || globalThis.chrome;
const CONTENT_SCRIPTS = ["editor-text.js", "content.js"];
const FRAME_KEY = "editorFrames"; // session storage: which frame of each tab holds the editor last used

// The frame of each tab where the user last focused an editor, so that the toolbar button and the
// shortcut check that editor. Kept in session storage too (ids only, no text) because a service
// worker can be stopped between two events.
const editorFrames = new Map();

async function rememberFrame(tabId, frameId) {
  editorFrames.set(tabId, frameId);
  if (api.storage.session) await api.storage.session.set({ [FRAME_KEY]: Object.fromEntries(editorFrames) });
}

async function frameOf(tabId) {
  if (!editorFrames.has(tabId) && api.storage.session) {
    const stored = (await api.storage.session.get(FRAME_KEY))[FRAME_KEY] || {};
    for (const [tab, frame] of Object.entries(stored)) editorFrames.set(Number(tab), frame);
  }
  return editorFrames.get(tabId) || 0;
}

api.tabs.onRemoved.addListener((tabId) => {
  if (editorFrames.delete(tabId) && api.storage.session) api.storage.session.set({ [FRAME_KEY]: Object.fromEntries(editorFrames) });
});

// Toolbar button and shortcut: ask the page to check its editor. A page opened before the extension
// was installed has no content script yet; the click itself (activeTab) lets us add it now.
async function checkInTab(tab) {
  if (!tab || tab.id === undefined) return;
  const message = { type: "check-focused" };
  try {
    await api.tabs.sendMessage(tab.id, message, { frameId: await frameOf(tab.id) });
    return;
  } catch (err) {
    // no content script in that frame: fall through and add one to the page
  }
  try {
    await api.scripting.executeScript({ target: { tabId: tab.id }, files: CONTENT_SCRIPTS });
    await api.tabs.sendMessage(tab.id, message, { frameId: 0 });
  } catch (err) {
    // A browser page (settings, the web store, a PDF viewer) cannot be checked; say so on the button.
    await api.action.setBadgeText({ tabId: tab.id, text: "!" });
    await api.action.setTitle({ tabId: tab.id, title: "recqual cannot check this page: it has no text box the extension may read." });
  }
}

api.action.onClicked.addListener((tab) => checkInTab(tab));
api.commands.onCommand.addListener((command, tab) => {
  if (command !== "check-record") return;
  if (tab) return checkInTab(tab);
  return api.tabs.query({ active: true, currentWindow: true }).then((tabs) => checkInTab(tabs[0]));
});

async function handle(message, sender) {
  switch (message && message.type) {
    case "check": {
      const settings = await recqualSettings.read();
      if (message.automatic && !settings.backgroundCheck) return recqualEndpoint.failure("background_off");
      return recqualEndpoint.check(String(message.text), settings);
    }
    case "page-settings": {
      // What a page's content script may know: whether to check in the background. Never the key.
      const settings = await recqualSettings.read();
      return { backgroundCheck: settings.backgroundCheck && Boolean(settings.endpoint) };
    }
    case "editor-focused":
      if (sender.tab) await rememberFrame(sender.tab.id, sender.frameId || 0);
      return { ok: true };
    case "open-options":
      await api.runtime.openOptionsPage();
      return { ok: true };
    case "probe":
      // From the options page only: a content script has no business testing the key.
      if (sender.tab && sender.url && !sender.url.startsWith(api.runtime.getURL(""))) return { ok: false };
      return recqualEndpoint.probe(await recqualSettings.read());
    default:
      return { ok: false };
  }
}

// sendResponse with `return true` rather than a returned promise: both Chromium and Firefox accept it.
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, () => sendResponse(recqualEndpoint.failure("refused", { detail: "the extension hit an unexpected problem." })));
  return true;
});
