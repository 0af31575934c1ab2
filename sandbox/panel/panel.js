// SPDX-License-Identifier: LGPL-2.1-or-later
// hutch panel: live updates, and actions without leaving the page. Every
// page works without it: its forms post and the answer is a page. Text
// from the server goes into the page as text (textContent), never as markup.
"use strict";
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const status = document.getElementById("status");

  function say(text, ok) {
    if (!status) return;
    status.textContent = text;
    status.className = ok ? "ok" : "error";
  }

  // Forms of class "action" go by fetch; the panel answers in JSON.
  // A launch, a create and a destroy then go where the answer says.
  const GOES_ON = ["launch", "create", "destroy"];
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("action")) return;
    ev.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    say("Working\u2026", true);
    try {
      const res = await fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "X-Hutch-CSRF": csrf },
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      const answer = await res.json().catch(() => ({ ok: false, message: "refused (" + res.status + ")" }));
      say(answer.message, answer.ok);
      const goes = GOES_ON.some((c) => form.classList.contains(c)) ||
        (document.querySelector("[data-sandbox]") && form.action.endsWith("/stop"));
      if (answer.ok && answer.location && goes) location.assign(answer.location);
    } catch (e) {
      say("The panel did not answer: " + e.message, false);
    } finally {
      if (button) button.disabled = false;
    }
  });

  // --- the live sandbox table and detail page ---------------------------
  const FIELDS = [["profile", "Profile"], ["state", "State"], ["pid", "PID"], ["cpu", "CPU s"],
    ["memory", "Memory"], ["uptime", "Uptime"], ["command", "Command"]];
  const ACTIONS = [["freeze", "Freeze", "RUNNING"], ["thaw", "Thaw", "FROZEN"],
    ["stop", "Stop", "RUNNING FROZEN STARTING"]];

  function cell(label) {
    const td = document.createElement("td");
    td.dataset.label = label;
    return td;
  }

  function actionForm(name, act, label, show) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/sandbox/" + encodeURIComponent(name) + "/" + act;
    form.className = "action";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf";
    token.value = csrf;
    const button = document.createElement("button");
    button.type = "submit";
    button.dataset.show = show;
    button.textContent = label;
    form.append(token, button);
    return form;
  }

  function makeRow(sb) {
    const tr = document.createElement("tr");
    tr.dataset.name = sb.name;
    const name = cell("Name");
    const link = document.createElement("a");
    link.href = "/sandbox/" + encodeURIComponent(sb.name);
    link.textContent = sb.name;
    name.append(link);
    tr.append(name);
    for (const [field, label] of FIELDS) {
      const td = cell(label);
      td.dataset.field = field;
      tr.append(td);
    }
    const actions = cell("Actions");
    actions.className = "actions";
    for (const [act, label, show] of ACTIONS) actions.append(actionForm(sb.name, act, label, show));
    tr.append(actions);
    return tr;
  }

  function fill(root, sb) {
    for (const el of root.querySelectorAll("[data-field]")) {
      const value = sb[el.dataset.field];
      if (value !== undefined && el.textContent !== value) el.textContent = value;
    }
    for (const button of root.querySelectorAll("button[data-show]"))
      button.hidden = !button.dataset.show.split(" ").includes(sb.state);
  }

  function updateTable(table, list) {
    const body = table.tBodies[0];
    const rows = new Map();
    for (const tr of body.rows) rows.set(tr.dataset.name, tr);
    let before = body.firstElementChild;
    for (const sb of list) {
      let tr = rows.get(sb.name);
      rows.delete(sb.name);
      if (!tr) tr = makeRow(sb);
      fill(tr, sb);
      if (tr !== before) body.insertBefore(tr, before);
      else before = before.nextElementSibling;
    }
    for (const tr of rows.values()) tr.remove();
    const none = document.getElementById("none-running");
    if (none) none.hidden = list.length > 0;
  }

  function updateDetail(section, list) {
    const sb = list.find((s) => s.name === section.dataset.sandbox);
    if (sb) {
      fill(section, sb);
      return;
    }
    for (const button of section.querySelectorAll("button")) button.disabled = true;
    say("This sandbox has ended.", false);
  }

  const table = document.getElementById("sandboxes");
  const detail = document.querySelector("[data-sandbox]");
  if (table || detail) {
    const events = new EventSource("/events");
    events.addEventListener("sandboxes", (ev) => {
      const list = JSON.parse(ev.data);
      if (table) updateTable(table, list);
      if (detail) updateDetail(detail, list);
    });
  }

  // --- a job's progress ---------------------------------------------------
  const job = document.querySelector("[data-job]");
  if (job) {
    const log = document.getElementById("progress");
    let seen = Number(job.dataset.lines);
    const follow = () => {
      const url = "/jobs/" + encodeURIComponent(job.dataset.job) + "/events?from=" + seen;
      const events = new EventSource(url);
      for (const kind of ["step", "info", "output"]) {
        events.addEventListener(kind, (ev) => {
          const li = document.createElement("li");
          li.className = kind;
          li.textContent = ev.data;
          log.append(li);
          log.scrollTop = log.scrollHeight;
          seen++;
        });
      }
      events.addEventListener("done", (ev) => {
        events.close();
        const done = JSON.parse(ev.data);
        document.getElementById("job-state").textContent = done.state;
        const result = document.getElementById("job-result");
        result.textContent = done.message;
        result.className = done.ok ? "ok" : "error";
        const cancel = document.getElementById("job-cancel");
        if (cancel) cancel.closest("form").remove();
      });
      // Reconnect from the last line seen, not from the page's.
      events.addEventListener("error", () => {
        if (events.readyState === EventSource.CLOSED) return;
        events.close();
        setTimeout(follow, 2000);
      });
    };
    follow();
  }
})();
