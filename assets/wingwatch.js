// Session glue for the Reflex pages: the HttpOnly cookie swap at sign-in and sign-out, the idle
// watch that locks the page, and <html lang>. Framework-free; loaded on every page.
(function () {
  "use strict";
  var lastInput = Date.now();
  var lastPing = Date.now();
  var PING_EVERY_MS = 60 * 1000;

  function click(id) {
    var el = document.getElementById(id);
    if (el) el.click();
    return !!el;
  }

  function noteInput() {
    lastInput = Date.now();
    if (lastInput - lastPing > PING_EVERY_MS && click("ww-keep-alive")) lastPing = lastInput;
  }

  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, noteInput, { passive: true, capture: true });
  });

  // The lock trigger exists only on a signed-in, unlocked page; it carries the idle timeout.
  setInterval(function () {
    var trigger = document.getElementById("ww-lock-trigger");
    if (!trigger) { lastInput = Math.max(lastInput, Date.now() - 1000); return; }
    var idleMs = Number(trigger.getAttribute("data-idle-ms")) || 15 * 60 * 1000;
    if (Date.now() - lastInput >= idleMs) trigger.click();
  }, 1000);

  // --- Service worker: the app shell offline, and updates that never lose a form ---------------
  // The capture form sets window.wingwatchFormDirty while it holds unsaved input.
  function offerUpdate(registration) {
    var waiting = registration.waiting;
    if (!waiting || !navigator.serviceWorker.controller) return;
    if (window.wingwatchFormDirty) { setTimeout(function () { offerUpdate(registration); }, 5000); return; }
    waiting.postMessage({ type: "activate-now" });
  }

  function keepWhatThisPageLoaded() {
    var urls = [location.href].concat(performance.getEntriesByType("resource").map(function (e) {
      return e.name;
    }));
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    });
  }

  if ("serviceWorker" in navigator) {
    var reloading = false;
    var hadWorker = !!navigator.serviceWorker.controller;
    // A new worker took over: reload at once, before Reflex reconnects with the old frontend.
    // (The very first worker taking over an open page changes nothing the page runs.)
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloading || !hadWorker) return;
      reloading = true;
      window.location.reload();
    });
    navigator.serviceWorker.register("/sw.js").then(function (registration) {
      offerUpdate(registration);
      registration.addEventListener("updatefound", function () {
        var installing = registration.installing;
        if (installing) installing.addEventListener("statechange", function () {
          if (installing.state === "installed") offerUpdate(registration);
        });
      });
    });
    window.addEventListener("load", function () { setTimeout(keepWhatThisPageLoaded, 1500); });
  }

  // The capture page unlocks offline with a verifier made here, from the password just typed:
  // a slow PBKDF2 hash with its own salt, never the password itself (assets/island/).
  var pendingVerifier = Promise.resolve();

  window.wingwatch = {
    // From the sign-in form, or from /password's (a new password must unlock offline too).
    prepareUnlock: function (userField, passwordField) {
      var user = document.getElementById(userField || "login-username");
      var pass = document.getElementById(passwordField || "login-password");
      if (!user || !pass || !pass.value || !window.crypto || !crypto.subtle) return;
      var username = user.value.trim().toLowerCase();
      var password = pass.value;
      // Alongside the verifier, the officer's key to this tablet's data (island/vault.js): the
      // cached roster is encrypted with it and every saved entry tagged, in both derivations
      // the same slow KDF, run side by side.
      pendingVerifier = Promise.all([import("/island/local_unlock.js"), import("/island/vault.js")])
        .then(function (modules) {
          return Promise.all([modules[0].makeVerifier(password),
                              modules[1].deriveKey(password, username)
                                .then(function (raw) { return modules[1].toBase64(raw); })]);
        })
        .then(function (made) {
          sessionStorage.setItem("wingwatch.pendingVerifier", JSON.stringify(
            { username: username, verifier: made[0], key: made[1] }));
        })
        .catch(function () { /* offline unlock stays unavailable; online use is unaffected */ });
    },
    // After /password: the verifier of the new password first, then the home page.
    passwordChanged: function (home) {
      return pendingVerifier.then(function () {
        if (home !== "/capture") sessionStorage.removeItem("wingwatch.pendingVerifier");
        window.location.replace(home);
      });
    },
    signedIn: function (ticket, home) {
      return pendingVerifier.then(function () { return fetch("/api/v1/auth/session", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket: ticket }),
      }); }).then(function (response) {
        if (home !== "/capture") sessionStorage.removeItem("wingwatch.pendingVerifier");
        window.location.replace(response.ok ? home : "/login");
      });
    },
    // Sign-out, expiry and the absolute limit all leave through here. The tab's session storage
    // goes whole, Reflex's client token with it, so the sign-in page loads with a fresh token and
    // nothing the previous user's pages held can be hydrated into the next user's.
    signedOut: function () {
      sessionStorage.clear();
      return fetch("/api/v1/auth/session", { method: "DELETE", credentials: "same-origin" })
        .catch(function () { /* offline: the server ends the session at its own limits */ })
        .finally(function () { window.location.replace("/login"); });
    },
    // The sign-in page's language choice, kept on this device (not a secret, not personal): a
    // cookie the server reads on the next sign-in page, and local storage for the capture island
    // and the offline page before anyone has signed in.
    rememberLocale: function (code) {
      if (!/^[A-Za-z-]{2,8}$/.test(code)) return;
      document.cookie = "wingwatch_lang=" + code + "; path=/; max-age=31536000; samesite=strict" +
        (location.protocol === "https:" ? "; secure" : "");
      localStorage.setItem("wingwatch.deviceLocale", code);
    },
    // The capture island's sign-out: through Reflex when it is connected (which also resets this
    // tab's page states on the server), else straight away.
    signOut: function () {
      var fallback = setTimeout(window.wingwatch.signedOut, 3000);
      if (!click("ww-sign-out")) { clearTimeout(fallback); window.wingwatch.signedOut(); }
    },
  };

  // The sign-in form: the verifier is derived from the password before Reflex sends the form
  // (capture phase, so this runs ahead of React's own submit handler).
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.id === "login-form") window.wingwatch.prepareUnlock();
    if (event.target && event.target.id === "password-form") {
      window.wingwatch.prepareUnlock("password-username", "password-new");
    }
  }, true);

  // --- Signals from the server (state/session.ask_page) --------------------------------------
  // A handler cannot call page code without eval, which the CSP forbids: it puts
  // {"call", "args", "n"} into a hidden element's data-ww-signal, and this runs the named
  // function if it is one of these. Each nonce runs once per tab, so a reload that hydrates the
  // same value again does nothing.
  var SIGNALS = {
    signedIn: window.wingwatch.signedIn,
    signedOut: window.wingwatch.signedOut,
    passwordChanged: window.wingwatch.passwordChanged,
    print: function () { window.print(); },
    rememberLocale: function (code) { window.wingwatch.rememberLocale(code); },
    reload: function () { window.location.reload(); },
  };
  var LAST_SIGNAL = "wingwatch.lastSignal";

  function runSignals() {
    document.querySelectorAll("[data-ww-signal]").forEach(function (el) {
      var signal;
      try { signal = JSON.parse(el.getAttribute("data-ww-signal") || "null"); } catch (_) { return; }
      if (!signal || !SIGNALS.hasOwnProperty(signal.call) ||
          sessionStorage.getItem(LAST_SIGNAL) === signal.n) return;
      sessionStorage.setItem(LAST_SIGNAL, signal.n);
      SIGNALS[signal.call].apply(null, Array.isArray(signal.args) ? signal.args : []);
    });
  }
  // --- The page's language (components/layout.page_signal): <html lang> follows the tab's
  // locale, so a screen reader reads Albanian as Albanian and hyphenation follows the language.
  function followLanguage() {
    var el = document.querySelector("[data-ww-lang]");
    var code = el && el.getAttribute("data-ww-lang");
    if (code && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code) &&
        document.documentElement.lang !== code) document.documentElement.lang = code;
  }

  function onPageChange() { runSignals(); followLanguage(); }
  new MutationObserver(onPageChange).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-ww-signal", "data-ww-lang"],
  });
  onPageChange(); // this script may load after the page already rendered a signal
})();
