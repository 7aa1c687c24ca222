/* Netwerkwerkboek: nothing typed is lost without the participant knowing (issue 16).

   Included inline by index.html.j2 (so no extra request). It reads only what the kernel put
   in the page as plain data (netwerk_widgets/connection.py): CSS classes on the text fields
   and one hidden element with the texts to show. It never runs anything the kernel sends.

   1. The kernel connection. Voila's app (window.jupyterapp) resolves its widget manager,
      whose kernel connection has Lumino signals: connectionStatusChanged (connected,
      connecting, disconnected) and statusChanged (restarting, autorestarting, dead, ...).
      When the kernel dies (it is restarted empty) or the server goes away, the page says so
      at once, replaces the save status, and offers one button: the personal link.
   2. Drafts. Every text typed in a field marked nw-draft is kept in localStorage under
      netwerk:draft:<session>:<participant>:<key> until the field's class nw-saved-<hash>
      says the kernel saved exactly that text. A page that opens (the personal link) puts
      kept texts back into their fields, which then saves them; a text typed in a table row
      that was never saved goes into a new row of the same table. Only texts of pages that
      are gone are put back: each open page keeps a heartbeat (netwerk:page:<id>) and marks
      its drafts with its id, so a second tab on the same link leaves the texts that the
      first is still saving alone (it used to put them into its own rows, over its texts).
   3. Limits. A field marked nw-max-<n> gets maxlength n: a huge paste is cut in the browser,
      before it is sent, with the catalogue's "Maximaal n tekens" note under the field. */
(function () {
  "use strict";
  var PREFIX = "netwerk:draft:";
  var PAGES = "netwerk:page:";
  var PAGE = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  var BEAT_MS = 2000;
  var GONE_MS = 8000; /* a heartbeat this old: the page was closed, crashed or lost */
  var LOST_STATES = ["dead", "restarting", "autorestarting"];
  var lost = false;
  var connected = false;
  var pending = 0;
  var waking = 0;

  function info() {
    return document.querySelector(".nw-connection-info");
  }

  function who() {
    var el = info();
    if (!el || !el.dataset.participant) return "";
    return PREFIX + el.dataset.session + ":" + el.dataset.participant + ":";
  }

  function classValue(el, prefix) {
    if (!el) return null;
    for (var i = 0; i < el.classList.length; i++) {
      var name = el.classList[i];
      if (name.indexOf(prefix) === 0) return name.slice(prefix.length);
    }
    return null;
  }

  function keyOf(textarea) {
    return classValue(textarea.closest(".nw-draft"), "nw-key-") || "";
  }

  function hash(text) {
    var value = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      value ^= text.charCodeAt(i);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return String(value);
  }

  function read(name) {
    try {
      var raw = window.localStorage.getItem(name);
      var draft = raw ? JSON.parse(raw) : null;
      return draft && typeof draft.v === "string" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function keep(name, text) {
    try {
      window.localStorage.setItem(name, JSON.stringify({ v: text, t: Date.now(), p: PAGE }));
    } catch (error) {
      /* storage full or switched off: the status still says what is saved */
    }
  }

  function forget(name) {
    try {
      window.localStorage.removeItem(name);
    } catch (error) {
      /* nothing kept */
    }
  }

  function drafts(owner) {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(owner) === 0) found.push(name);
      }
    } catch (error) {
      return [];
    }
    return found;
  }

  /* --- pages: whose drafts are still being saved ------------------------------------- */

  function beat() {
    if (lost) return;
    try {
      window.localStorage.setItem(PAGES + PAGE, String(Date.now()));
    } catch (error) {
      /* storage switched off: there are no drafts either */
    }
  }

  function leave() {
    forget(PAGES + PAGE);
  }

  /* A draft of another page that is still open is that page's to save, not this one's. */
  function othersLive(draft) {
    if (!draft.p || draft.p === PAGE) return false;
    var raw = null;
    try {
      raw = window.localStorage.getItem(PAGES + draft.p);
    } catch (error) {
      return false;
    }
    return raw !== null && Date.now() - Number(raw) < GONE_MS;
  }

  function forgetGonePages() {
    var names = drafts(PAGES);
    for (var i = 0; i < names.length; i++) {
      var raw = null;
      try {
        raw = window.localStorage.getItem(names[i]);
      } catch (error) {
        return;
      }
      if (Date.now() - Number(raw) > 10 * GONE_MS) forget(names[i]);
    }
  }

  /* --- limits -------------------------------------------------------------------------- */

  function limitNote(textarea) {
    var max = textarea.maxLength;
    var box = textarea.closest("[class*='nw-max-']");
    if (!box || max <= 0) return;
    var note = box.nextElementSibling;
    if (!note || !note.classList.contains("nw-limit-note")) {
      if (textarea.value.length < max) return;
      note = document.createElement("div");
      note.className = "nw-limit-note";
      note.setAttribute("aria-live", "polite");
      box.parentNode.insertBefore(note, box.nextSibling);
    }
    var el = info();
    var text = el ? el.dataset.tooLong.split("{n}").join(String(max)) : "";
    note.textContent = textarea.value.length >= max ? text : "";
  }

  function limitField(field, box) {
    var max = parseInt(classValue(box, "nw-max-"), 10);
    if (max > 0 && field.maxLength !== max) field.maxLength = max;
  }

  function prepareLimits() {
    var boxes = document.querySelectorAll("[class*='nw-max-']");
    for (var i = 0; i < boxes.length; i++) {
      var areas = boxes[i].querySelectorAll("textarea, input[type='text']");
      for (var j = 0; j < areas.length; j++) limitField(areas[j], boxes[i]);
    }
  }

  /* A field focused before the next check (a paste right after the page drew) has its limit. */
  document.addEventListener(
    "focusin",
    function (event) {
      var target = event.target;
      var box = target && target.closest && target.closest("[class*='nw-max-']");
      if (box && (target.tagName === "TEXTAREA" || target.type === "text")) limitField(target, box);
    },
    true
  );

  /* --- drafts -------------------------------------------------------------------------- */

  function put(textarea, text) {
    textarea.value = text;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function forgetSaved(owner) {
    var areas = document.querySelectorAll(".nw-draft textarea");
    for (var i = 0; i < areas.length; i++) {
      var box = areas[i].closest(".nw-draft");
      var saved = classValue(box, "nw-saved-");
      var name = owner + keyOf(areas[i]);
      var draft = saved === null ? null : read(name);
      if (draft && hash(draft.v) === saved) forget(name);
    }
  }

  function putBack(owner) {
    var put_back = false;
    var wakeLater = false;
    var orphans = {};
    var names = drafts(owner);
    for (var i = 0; i < names.length; i++) {
      var key = names[i].slice(owner.length);
      var draft = read(names[i]);
      if (!draft || draft.p === PAGE) continue; /* this page's own: its field holds it */
      if (othersLive(draft)) {
        wakeLater = true; /* looked at again once that page is gone */
        continue;
      }
      var box = document.querySelector(".nw-draft.nw-key-" + CSS.escape(key));
      var area = box && box.querySelector("textarea");
      if (area) {
        if (area.dataset.nwChecked) continue;
        area.dataset.nwChecked = "1";
        if (hash(draft.v) === classValue(box, "nw-saved-")) {
          forget(names[i]);
        } else if (draft.v !== area.value) {
          put(area, draft.v);
          put_back = true;
        }
        continue;
      }
      var parts = key.split("-");
      var table = document.querySelector(".nw-table-" + CSS.escape(parts[0]));
      if (table && parts[1]) {
        var row = parts[0] + "-" + parts[1];
        (orphans[row] = orphans[row] || { table: table, cells: [] }).cells.push({
          name: names[i],
          field: parts[2],
          text: draft.v,
        });
      }
    }
    for (var row_key in orphans) {
      if (newRow(owner, orphans[row_key])) put_back = true;
    }
    if (put_back) say("restored");
    if (wakeLater && !waking) {
      waking = window.setTimeout(function () {
        waking = 0;
        schedule();
      }, GONE_MS);
    }
  }

  /* A text typed in a table row that was never saved: that row's id lived only in the lost
     page, so it goes into an empty row of the same table (one is added when none is left). */
  function newRow(owner, orphan) {
    var rows = orphan.table.querySelectorAll(".nw-table-row");
    for (var i = 0; i < rows.length; i++) {
      var areas = rows[i].querySelectorAll(".nw-draft textarea");
      var empty = areas.length > 0 && !rows[i].dataset.nwTaken;
      for (var j = 0; j < areas.length && empty; j++) {
        if (areas[j].value || read(owner + keyOf(areas[j]))) empty = false;
      }
      if (!empty) continue;
      rows[i].dataset.nwTaken = "1";
      for (var c = 0; c < orphan.cells.length; c++) {
        var cell = orphan.cells[c];
        for (var k = 0; k < areas.length; k++) {
          if (keyOf(areas[k]).split("-")[2] === cell.field) {
            put(areas[k], cell.text); /* kept again under the new row's key */
            forget(cell.name);
          }
        }
      }
      return true;
    }
    var add = orphan.table.querySelector(".nw-add-row");
    if (add && !orphan.table.dataset.nwAdding) {
      orphan.table.dataset.nwAdding = "1"; /* one row at a time: the next check fills it */
      add.click();
      window.setTimeout(function () {
        delete orphan.table.dataset.nwAdding;
        schedule();
      }, 1500);
    }
    return false;
  }

  /* --- the connection ------------------------------------------------------------------ */

  function say(what) {
    var el = info();
    var app = document.querySelector(".nw-app");
    if (!el || !app || document.querySelector(".nw-restored")) return;
    var note = document.createElement("p");
    note.className = "nw-restored";
    note.setAttribute("role", "status");
    note.textContent = el.dataset[what];
    app.insertBefore(note, app.firstChild);
    window.setTimeout(function () {
      note.remove();
    }, 20000);
  }

  function carryOn() {
    var el = info();
    var link = el ? el.dataset.link : "";
    if (!link) {
      window.location.reload();
      return;
    }
    var url = new URL(link, window.location.href);
    if (el.dataset.block) url.searchParams.set("blok", el.dataset.block);
    window.location.assign(url.toString());
  }

  function showLost() {
    if (lost) return;
    lost = true;
    leave(); /* what this page could not save is for the next page to put back */
    var el = info();
    if (!el) return; /* nothing on the page yet: Voila shows its own message */
    var banner = document.createElement("div");
    banner.className = "nw-lost";
    banner.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = el.dataset.lost;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nw-carry-on";
    button.textContent = el.dataset.carryOn;
    button.addEventListener("click", carryOn);
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.insertBefore(banner, document.body.firstChild);
    var statuses = document.querySelectorAll(".nw-save-status");
    for (var i = 0; i < statuses.length; i++) {
      var content = statuses[i].querySelector(".widget-html-content") || statuses[i];
      var span = document.createElement("span");
      span.className = "nw-status-lost";
      span.textContent = el.dataset.statusLost;
      content.textContent = "";
      content.appendChild(span);
    }
  }

  function check() {
    pending = 0;
    prepareLimits();
    var owner = who();
    if (!owner) return;
    forgetSaved(owner);
    if (connected && !lost) putBack(owner);
  }

  function schedule() {
    if (!pending) pending = window.setTimeout(check, 150);
  }

  function watch(manager) {
    var kernel = manager && manager.kernel;
    if (!kernel) return;
    var everConnected = kernel.connectionStatus === "connected";
    connected = everConnected;
    kernel.connectionStatusChanged.connect(function (_kernel, status) {
      if (status === "connected") {
        everConnected = true;
        connected = !lost;
      } else if (everConnected || status === "disconnected") {
        connected = false;
        showLost();
      }
      schedule();
    });
    kernel.statusChanged.connect(function (_kernel, status) {
      if (LOST_STATES.indexOf(status) >= 0) {
        connected = false;
        showLost();
      }
    });
    schedule();
  }

  function waitForApp() {
    var app = window.jupyterapp;
    if (app && app.widgetManagerPromise) {
      app.widgetManagerPromise.promise.then(watch);
    } else {
      window.setTimeout(waitForApp, 250);
    }
  }

  document.addEventListener(
    "input",
    function (event) {
      var target = event.target;
      if (!target || target.tagName !== "TEXTAREA") return;
      var owner = who();
      var key = keyOf(target);
      if (owner && key) keep(owner + key, target.value);
      limitNote(target);
    },
    true
  );

  /* A removed row's texts are not drafts any more (they must not come back in a new row). */
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target && event.target.closest && event.target.closest(".nw-remove-row");
      var row = target && target.closest(".nw-table-row");
      var owner = who();
      if (!row || !owner || !connected || lost) return;
      var areas = row.querySelectorAll(".nw-draft textarea");
      for (var i = 0; i < areas.length; i++) forget(owner + keyOf(areas[i]));
    },
    true
  );

  /* Another page closed or lost its kernel: its unsaved texts may now be this page's. */
  window.addEventListener("storage", function (event) {
    if (event.key && event.key.indexOf(PAGES) === 0 && event.newValue === null) schedule();
  });
  window.addEventListener("pagehide", leave);

  function start() {
    beat();
    forgetGonePages();
    window.setInterval(beat, BEAT_MS);
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["class"],
    });
    waitForApp();
    schedule();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
