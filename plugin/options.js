// The options page: the service's address, the API key and the background-checking switch, kept
// in storage.local; fields an administrator set by policy (storage.managed) are shown but locked.
// Saving asks the browser for access to the service's site, and to that site only.
"use strict";

(function () {
  const api = globalThis.browser || globalThis.chrome;
  const $ = (id) => document.getElementById(id);
  const fields = { endpoint: $("endpoint"), apiKey: $("api-key"), backgroundCheck: $("background-check") };
  let saved = null; // the settings as last read, to know which site's access to give back when the address changes

  function say(element, message, problem) {
    element.textContent = message;
    element.classList.toggle("problem", Boolean(problem));
  }

  async function load() {
    saved = await recqualSettings.read();
    fields.endpoint.value = saved.endpoint;
    fields.apiKey.value = saved.apiKey;
    fields.backgroundCheck.checked = saved.backgroundCheck;
    for (const [name, field] of Object.entries(fields)) field.disabled = saved.managed[name];
    $("managed-note").hidden = !Object.values(saved.managed).some(Boolean);
    // The fields start disabled: only now is it known which are the administrator's, and typing
    // earlier would be overwritten by the values read.
    $("save").disabled = false;
  }

  // Access to the service's site lets the extension reach it whatever the service's CORS settings.
  // Firefox grants a permission request only in direct answer to the click, so it comes first.
  function askForAccess(endpoint) {
    return api.permissions.request({ origins: [endpoint.pattern] }).then(
      (granted) =>
        granted
          ? say($("access"), "The browser lets the extension reach " + endpoint.origin + ".")
          : say(
              $("access"),
              "The browser did not let the extension reach " + endpoint.origin + ". Checks will work only if the service allows this extension " +
                "(its RECQUAL_CORS_ORIGINS must include " + api.runtime.getURL("").replace(/\/$/, "") + ").",
              true
            ),
      () => say($("access"), "")
    );
  }

  async function giveBackAccess(previous, endpoint) {
    if (!previous || (endpoint && previous.pattern === endpoint.pattern)) return;
    try {
      await api.permissions.remove({ origins: [previous.pattern] });
    } catch (err) {
      // never granted, or granted by policy: nothing to give back
    }
  }

  function parsed(value) {
    try {
      return value ? recqualSettings.parseEndpoint(value) : null;
    } catch (err) {
      return null;
    }
  }

  $("options").addEventListener("submit", (event) => {
    event.preventDefault();
    say($("access"), "");
    const written = fields.endpoint.value.trim();
    let endpoint = null;
    if (written) {
      try {
        endpoint = recqualSettings.parseEndpoint(written);
      } catch (err) {
        say($("status"), err.message, true);
        fields.endpoint.focus();
        return;
      }
      askForAccess(endpoint);
    }
    const values = {};
    if (!saved.managed.endpoint) values.endpoint = endpoint ? endpoint.base : "";
    if (!saved.managed.apiKey) values.apiKey = fields.apiKey.value.trim();
    if (!saved.managed.backgroundCheck) values.backgroundCheck = fields.backgroundCheck.checked ? true : "";
    const previous = parsed(saved.endpoint);
    recqualSettings
      .save(values)
      .then(() => giveBackAccess(previous, endpoint))
      .then(load)
      .then(
        () => say($("status"), endpoint ? "Saved. Checks go to " + endpoint.checkUrl + "." : "Saved. No service is set, so nothing can be checked yet."),
        (err) => say($("status"), "The settings could not be saved: " + err.message, true)
      );
  });

  $("probe").addEventListener("click", async () => {
    say($("status"), "Testing the saved settings…");
    const reply = await api.runtime.sendMessage({ type: "probe" });
    if (reply && reply.ok) say($("status"), reply.message);
    else say($("status"), reply && reply.error ? reply.error.message : "The test did not work.", true);
  });

  load();
})();
