// The extension's settings: the endpoint address, the API key and the background-checking switch.
// Shared by the background script and the options page (never loaded into web pages, so a page's
// content script never sees the key). An administrator's values (storage.managed, set by policy)
// win over the user's (storage.local); nothing else is ever stored.
"use strict";

var recqualSettings = (function () {
  const api = globalThis.browser || globalThis.chrome;
  const KEYS = ["endpoint", "apiKey", "backgroundCheck"];
  const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
  // A user may paste the address of a route rather than of the service; keep the service's own.
  const ROUTE_SUFFIX = /\/v1(\/(check|health|rules|openapi\.json))?$/;

  class EndpointError extends Error {}

  // The service at `input` as {base, checkUrl, origin, pattern}; EndpointError with a plain reason when unusable.
  function parseEndpoint(input) {
    const written = String(input || "").trim();
    if (!written) throw new EndpointError("Enter the address of your organisation's recqual service, starting with https://.");
    let url;
    try {
      url = new URL(written);
    } catch (err) {
      throw new EndpointError("That is not a web address: it should look like https://recqual.example.org.");
    }
    const loopback = LOOPBACK.has(url.hostname);
    // Records are sensitive: they travel encrypted, except to a service on this same computer.
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
      throw new EndpointError("The address must start with https:// (plain http:// is accepted only for this computer: localhost or 127.0.0.1).");
    }
    if (url.username || url.password) throw new EndpointError("Leave the user name and password out of the address; use the API key field for the key.");
    const path = url.pathname.replace(/\/+$/, "").replace(ROUTE_SUFFIX, "");
    const base = url.origin + path;
    return {
      base: base,
      checkUrl: base + "/v1/check",
      rulesUrl: base + "/v1/rules",
      origin: url.origin,
      // Match patterns leave the port out: one pattern covers the host on any port.
      pattern: url.protocol + "//" + url.hostname + "/*",
    };
  }

  async function managedValues() {
    try {
      return (await api.storage.managed.get(KEYS)) || {};
    } catch (err) {
      return {}; // no policy for this extension (Firefox reports that as an error)
    }
  }

  // What the extension runs with: {endpoint, apiKey, backgroundCheck, managed: {name: true, ...}}.
  async function read() {
    const [managed, local] = await Promise.all([managedValues(), api.storage.local.get(KEYS)]);
    const pick = (name, fallback) => (managed[name] !== undefined && managed[name] !== "" ? managed[name] : local[name] !== undefined ? local[name] : fallback);
    const managedNames = {};
    for (const name of KEYS) managedNames[name] = managed[name] !== undefined && managed[name] !== "";
    return {
      endpoint: String(pick("endpoint", "")),
      apiKey: String(pick("apiKey", "")),
      backgroundCheck: pick("backgroundCheck", false) === true,
      managed: managedNames,
    };
  }

  // Saves the user's values (storage.local, on this computer only); an empty endpoint removes it.
  async function save(values) {
    const keep = {};
    const drop = [];
    for (const name of KEYS) {
      if (values[name] === undefined) continue;
      if (values[name] === "" || values[name] === null) drop.push(name);
      else keep[name] = values[name];
    }
    if (drop.length) await api.storage.local.remove(drop);
    if (Object.keys(keep).length) await api.storage.local.set(keep);
  }

  return { KEYS, EndpointError, parseEndpoint, read, save };
})();
