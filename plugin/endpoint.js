// Talking to the organisation's recqual service: POST /v1/check with the record, GET /v1/rules to
// test the address and key. Runs only in the background script, whose requests a page's
// Content-Security-Policy and CORS rules do not govern. Every failure becomes a plain sentence.
// The record's text is held only while its request is in flight; nothing here logs or stores it.
"use strict";

var recqualEndpoint = (function () {
  const api = globalThis.browser || globalThis.chrome;
  const SCHEMA = "recqual/report-v1";
  const TIMEOUT_MS = 30000;

  // Every sentence the extension says about the service, in one place. {origin}, {detail} and
  // {extension} are filled in; none of them is ever the record's text.
  const MESSAGES = {
    not_configured:
      "No recqual service is set up yet. Open the extension's options and enter your organisation's recqual address, or ask your IT team to set it.",
    bad_endpoint: "The recqual address in the options cannot be used: {detail}",
    unreachable:
      "Could not reach the recqual service at {origin}. Check that the address in the options is right and that you are connected to your organisation's network; if it still fails, tell your IT team.",
    no_access:
      " The browser has not given the extension access to {origin}: open the extension's options and press Save to allow it, or ask your IT team to add {extension} to the service's RECQUAL_CORS_ORIGINS.",
    needs_key: "The recqual service at {origin} needs an API key. Enter it in the extension's options, or ask your IT team for it.",
    key_refused: "The recqual service at {origin} refused the API key. Check the key in the extension's options, or ask your IT team for the current one.",
    too_long: "This record is too long for the recqual service to check. Check it in parts, or ask your IT team to raise the service's limit. ({detail})",
    timeout: "The check took too long and was stopped. Try again in a moment; if it keeps happening, tell your IT team.",
    busy: "The recqual service is busy just now. Try again in a moment.",
    refused: "The recqual service could not check the record: {detail}",
    not_recqual:
      "The address in the options ({origin}) did not answer like a recqual service (HTTP {detail}). Check the address, or ask your IT team for the right one.",
    background_off: "Checking in the background is turned off.",
    connected: "Connected to the recqual service at {origin}.",
    connected_with_key: "Connected to the recqual service at {origin}, and it accepts the API key.",
  };

  function say(kind, fill) {
    const values = Object.assign({ extension: api.runtime.getURL("").replace(/\/$/, "") }, fill || {});
    return MESSAGES[kind].replace(/\{(\w+)\}/g, (whole, name) => (values[name] !== undefined ? String(values[name]) : whole));
  }

  function failure(kind, fill) {
    return { ok: false, error: { kind: kind, message: say(kind, fill) } };
  }

  async function hasAccess(endpoint) {
    try {
      return await api.permissions.contains({ origins: [endpoint.pattern] });
    } catch (err) {
      return false;
    }
  }

  // fetch() with the settings every request shares: no cookies, no cache, no referrer, and no
  // redirect, since a redirect could carry the record to an address the user never configured.
  async function request(url, settings, init) {
    const headers = Object.assign({ Accept: "application/json" }, init.headers || {});
    if (settings.apiKey) headers["X-API-Key"] = settings.apiKey;
    return fetch(url, {
      method: init.method || "GET",
      headers: headers,
      body: init.body,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (err) {
      return null;
    }
  }

  // The settings' endpoint, or the failure to report when there is none or it cannot be used.
  function endpointOf(settings) {
    if (!settings.endpoint) return { failed: failure("not_configured") };
    try {
      return { endpoint: recqualSettings.parseEndpoint(settings.endpoint) };
    } catch (err) {
      return { failed: failure("bad_endpoint", { detail: err.message }) };
    }
  }

  async function networkFailure(err, endpoint) {
    if (err && err.name === "TimeoutError") return failure("timeout");
    const result = failure("unreachable", { origin: endpoint.origin });
    if (!(await hasAccess(endpoint))) result.error.message += say("no_access", { origin: endpoint.origin });
    return result;
  }

  function statusFailure(response, body, endpoint, settings) {
    const detail = body && body.error && typeof body.error.message === "string" ? body.error.message : null;
    if (response.status === 401) return failure(settings.apiKey ? "key_refused" : "needs_key", { origin: endpoint.origin });
    if (response.status === 413) return failure("too_long", { detail: detail || "HTTP 413" });
    if (response.status === 504) return failure("timeout");
    if (response.status === 503 || response.status === 429) return failure("busy");
    if (detail) return failure("refused", { detail: detail });
    return failure("not_recqual", { origin: endpoint.origin, detail: response.status });
  }

  // What the panel shows: score, grade, sub-scores and the findings in the order they occur. The
  // record's text, which the service echoes back, is dropped here.
  function summarise(report, endpoint) {
    const findings = report.matches.map((match) => {
      const flag = report.flags[match.flag] || {};
      return {
        offset: match.offset,
        length: match.length,
        severity: match.severity,
        code: match.rule && match.rule.id,
        title: match.shortMessage,
        message: flag.message || match.message,
        suggestion: flag.suggestion || "",
      };
    });
    return { score: report.score, grade: report.grade, subscores: report.subscores || {}, findings: findings, service: endpoint.origin };
  }

  // Checks `text`: {ok: true, result} or {ok: false, error: {kind, message}}.
  async function check(text, settings) {
    const { endpoint, failed } = endpointOf(settings);
    if (failed) return failed;
    let response;
    try {
      response = await request(endpoint.checkUrl, settings, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text }),
      });
    } catch (err) {
      return networkFailure(err, endpoint);
    }
    const body = await readJson(response);
    if (response.ok && body && body.schema === SCHEMA && Array.isArray(body.matches) && Array.isArray(body.flags)) {
      return { ok: true, result: summarise(body, endpoint) };
    }
    if (response.ok) return failure("not_recqual", { origin: endpoint.origin, detail: response.status });
    return statusFailure(response, body, endpoint, settings);
  }

  // Tests the address and key without sending any record: GET /v1/rules needs the key when the service has one.
  async function probe(settings) {
    const { endpoint, failed } = endpointOf(settings);
    if (failed) return failed;
    let response;
    try {
      response = await request(endpoint.rulesUrl, settings, {});
    } catch (err) {
      return networkFailure(err, endpoint);
    }
    const body = await readJson(response);
    if (response.ok && body && Array.isArray(body.rules)) {
      return { ok: true, message: say(settings.apiKey ? "connected_with_key" : "connected", { origin: endpoint.origin }) };
    }
    return statusFailure(response, body, endpoint, settings);
  }

  return { MESSAGES, say, failure, check, probe };
})();
