// The review app's script: sorting and filtering the documents table; on a document page, editing
// in place, saving through the JSON API, keyboard shortcuts and filters. Plain DOM, no build step.
// Text is only ever set with textContent / text nodes: translations are data, never markup.
"use strict";

const TOKEN = document.querySelector('meta[name="review-token"]').content;

function showBanner(message, { reload = false, error = false } = {}) {
  const banner = document.getElementById("banner");
  banner.querySelector(".message").textContent = message;
  banner.querySelector(".reload").hidden = !reload;
  banner.classList.toggle("error", error);
  banner.hidden = false;
}

function hideBanner() {
  document.getElementById("banner").hidden = true;
}

document.querySelector("#banner .reload").addEventListener("click", () => location.reload());

// --- documents page ------------------------------------------------------------------------------

function setUpDocuments() {
  const table = document.getElementById("documents");
  const body = table.tBodies[0];
  const filter = document.getElementById("filter");
  filter.addEventListener("input", () => {
    const wanted = filter.value.trim().toLowerCase();
    for (const row of body.rows) row.hidden = wanted !== "" && !row.dataset.name.toLowerCase().includes(wanted);
  });
  for (const head of table.tHead.rows[0].cells) {
    head.querySelector("button").addEventListener("click", () => {
      const key = head.dataset.sort;
      const descending = head.getAttribute("aria-sort") === "ascending";
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      head.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const rows = [...body.rows];
      rows.sort((a, b) => {
        const x = a.dataset[key], y = b.dataset[key];
        const order = key === "name" ? x.localeCompare(y) : Number(x) - Number(y);
        return descending ? -order : order;
      });
      body.append(...rows);
    });
  }
}

// --- document page -------------------------------------------------------------------------------

const NEEDS_REVIEW = new Set(["machine", "fuzzy", "untranslated"]);

// Wrap every occurrence of the given strings in <mark class=KIND>, longest first, never overlapping.
function highlight(element, text, marks) {
  const taken = new Array(text.length).fill(null);
  const sorted = marks.filter(m => m.text).sort((a, b) => b.text.length - a.text.length);
  for (const { text: needle, kind, title } of sorted) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle, from);
      if (at < 0) break;
      if (taken.slice(at, at + needle.length).every(x => x === null)) {
        for (let i = at; i < at + needle.length; i++) taken[i] = { kind, title, start: at };
      }
      from = at + needle.length;
    }
  }
  element.replaceChildren();
  let i = 0;
  while (i < text.length) {
    const here = taken[i];
    let j = i;
    while (j < text.length && (taken[j] === here || (taken[j] && here && taken[j].start === here.start))) j++;
    const piece = document.createTextNode(text.slice(i, j));
    if (here) {
      const mark = document.createElement("mark");
      mark.className = here.kind;
      if (here.title) mark.title = here.title;
      mark.append(piece);
      element.append(mark);
    } else {
      element.append(piece);
    }
    i = j;
  }
}

function marksFor(entry, side) {
  const marks = entry.keep.map(text => ({ text, kind: "kept", title: "kept Spanish: must appear as written" }));
  for (const term of entry.terms) {
    marks.push({ text: side === "en" ? term.english : term.spanish, kind: "term",
                 title: `glossary: ${term.english} → ${term.spanish}` + (term.note ? ` (${term.note})` : "") });
  }
  return marks;
}

function setUpDocument() {
  const main = document.getElementById("doc");
  const name = main.dataset.name;
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const entries = new Map(data.entries.map(e => [e.id, e]));
  let revision = data.revision;
  let current = null;
  const segs = () => [...main.querySelectorAll(".seg")];
  const draftKey = id => `review:${name}:${id}`;
  const target = seg => seg.querySelector(".tgt");
  const textOf = seg => target(seg).textContent;

  function paint(seg) {
    const entry = entries.get(seg.dataset.id);
    seg.dataset.state = entry.state;
    seg.dataset.qaErrors = entry.qa.filter(f => f.severity === "error").length;
    highlight(seg.querySelector(".src"), entry.msgid, marksFor(entry, "en"));
    if (document.activeElement !== target(seg)) {
      const draft = seg.classList.contains("dirty") ? textOf(seg) : entry.msgstr;
      highlight(target(seg), draft, marksFor(entry, "es"));
    }
    const meta = seg.querySelector(".meta");
    const state = document.createElement("span");
    state.className = `state state-${entry.state}`;
    state.textContent = entry.state;
    meta.replaceChildren(state);
    for (const [cls, text] of [["engine", entry.engine], ["kind", entry.kind === "sentence" ? "" : entry.kind]]) {
      if (!text) continue;
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      meta.append(" ", span);
    }
    const qa = seg.querySelector(".qa");
    qa.replaceChildren(...entry.qa.map(f => {
      const li = document.createElement("li");
      li.className = `qa-${f.severity}`;
      li.textContent = `${f.check}: ${f.message}`;
      return li;
    }));
  }

  function paintAll(id) {
    for (const seg of segs()) if (!id || seg.dataset.id === id) paint(seg);
    const counts = { reviewed: 0, machine: 0, fuzzy: 0, untranslated: 0 };
    for (const entry of entries.values()) counts[entry.state] = (counts[entry.state] || 0) + 1;
    document.getElementById("counts").textContent =
      `${counts.reviewed} reviewed · ${counts.machine} machine · ${counts.fuzzy} fuzzy · ${counts.untranslated} untranslated`;
    applyFilters();
  }

  function applyFilters() {
    const review = document.getElementById("only-review").checked;
    const qa = document.getElementById("only-qa").checked;
    for (const seg of segs()) {
      const hide = (review && !NEEDS_REVIEW.has(seg.dataset.state)) || (qa && seg.dataset.qaErrors === "0");
      seg.classList.toggle("hidden", hide && !seg.classList.contains("dirty"));  // an unsaved edit never hides
    }
    for (const para of main.querySelectorAll(".para")) {
      para.classList.toggle("hidden", !para.querySelector(".seg:not(.hidden)"));
    }
  }

  function focusSeg(seg) {
    if (!seg) return;
    seg.classList.remove("hidden");
    seg.closest(".para").classList.remove("hidden");
    target(seg).focus();
    seg.scrollIntoView({ block: "center" });
  }

  function step(from, direction) {
    const all = segs();
    const start = from ? all.indexOf(from) : -1;
    for (let k = 1; k <= all.length; k++) {
      const seg = all[(start + direction * k + all.length * 2) % all.length];
      if (seg !== from && NEEDS_REVIEW.has(seg.dataset.state)) return seg;
    }
    return null;
  }

  function markDirty(seg) {
    const entry = entries.get(seg.dataset.id);
    const dirty = textOf(seg) !== entry.msgstr;
    for (const same of segs()) if (same.dataset.id === seg.dataset.id) same.classList.toggle("dirty", dirty);
    if (dirty) sessionStorage.setItem(draftKey(seg.dataset.id), textOf(seg));
    else sessionStorage.removeItem(draftKey(seg.dataset.id));
  }

  async function send(seg, action, confirmed = false) {
    const id = seg.dataset.id;
    const body = { action, revision, confirm: confirmed };
    if (action !== "revert") body.msgstr = textOf(seg);
    let response;
    try {
      response = await fetch(`/api/documents/${encodeURIComponent(name)}/entries/${encodeURIComponent(id)}`, {
        method: "PUT", headers: { "Content-Type": "application/json", "X-Review-Token": TOKEN },
        body: JSON.stringify(body), credentials: "same-origin" });
    } catch (error) {
      showBanner(`Not saved: the review server cannot be reached (${error.message}). Your text is kept here.`,
                 { error: true });
      return false;
    }
    const result = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (response.status === 422 && result.qa) {
      if (window.confirm(`${result.error}\n\nApprove anyway? The finding is recorded in the PO.`)) {
        return send(seg, action, true);
      }
      return false;
    }
    if (response.status === 409) {
      markDirty(seg);
      showBanner(`Not saved: ${result.error}. Your unsaved text is kept in this browser and comes back after reloading.`,
                 { reload: true, error: true });
      return false;
    }
    if (!response.ok) {
      showBanner(`Not saved: ${result.error || response.statusText}`, { error: true });
      return false;
    }
    revision = result.revision;
    main.dataset.revision = revision;
    const old = entries.get(id);
    entries.set(id, { ...result.entry, matches: old.matches });
    for (const same of segs()) {
      if (same.dataset.id !== id) continue;
      same.classList.remove("dirty");
      if (document.activeElement === target(same)) target(same).textContent = result.entry.msgstr;
    }
    sessionStorage.removeItem(draftKey(id));
    hideBanner();
    paintAll(id);
    return true;
  }

  async function act(action) {
    const seg = current;
    if (!seg) return;
    if (action === "next") { focusSeg(step(seg, 1)); return; }
    const saved = await send(seg, action);
    if (saved && action === "approve") focusSeg(step(seg, 1));
  }

  main.addEventListener("focusin", event => {
    const seg = event.target.closest(".seg");
    if (!seg) return;
    if (current && current !== seg) current.classList.remove("current");
    current = seg;
    seg.classList.add("current");
  });
  main.addEventListener("focusout", event => {
    const seg = event.target.closest(".seg");
    if (seg && event.target === target(seg)) paint(seg);
  });
  main.addEventListener("input", event => {
    const seg = event.target.closest(".seg");
    if (seg) markDirty(seg);
  });
  main.addEventListener("click", event => {
    const button = event.target.closest("button");
    if (!button) return;
    const seg = button.closest(".seg");
    current = seg;
    if (button.dataset.action) act(button.dataset.action);
    if (button.classList.contains("use")) {
      target(seg).textContent = button.dataset.target;
      markDirty(seg);
      target(seg).focus();
    }
  });
  document.addEventListener("keydown", event => {
    const ctrl = event.ctrlKey || event.metaKey;
    let action = null;
    if (ctrl && event.key === "Enter") action = "approve";
    else if (ctrl && event.key.toLowerCase() === "s") action = "save";
    else if (event.altKey && event.key.toLowerCase() === "m") action = "revert";
    else if (event.altKey && event.key.toLowerCase() === "n") action = "next";
    else if (event.altKey && event.key.toLowerCase() === "p") { event.preventDefault(); focusSeg(step(current, -1)); return; }
    else if (event.key === "Escape" && current) {
      target(current).textContent = entries.get(current.dataset.id).msgstr;
      markDirty(current);
      return;
    }
    if (!action) return;
    event.preventDefault();
    if (!current) current = step(null, 1);
    act(action);
  });
  for (const id of ["only-review", "only-qa"]) document.getElementById(id).addEventListener("change", applyFilters);

  // Unsaved edits from before a reload (a refused save) come back, marked as not saved.
  let restored = 0;
  for (const seg of segs()) {
    const draft = sessionStorage.getItem(draftKey(seg.dataset.id));
    if (draft !== null && draft !== entries.get(seg.dataset.id).msgstr) {
      target(seg).textContent = draft;
      seg.classList.add("dirty");
      restored++;
    }
  }
  paintAll();
  if (restored) {
    showBanner(`${restored} unsaved edit${restored > 1 ? "s" : ""} restored (highlighted); the catalog's current ` +
               "text is shown after Esc. Save or approve to keep them.");
  }
}

if (document.getElementById("documents")) setUpDocuments();
if (document.getElementById("doc")) setUpDocument();
