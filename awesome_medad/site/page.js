(function () {
  "use strict";
  // Every catalogue string reaches the page through textContent or a checked href:
  // nothing is ever parsed as HTML, so a title that looks like an img tag stays text.
  var data = JSON.parse(document.getElementById("medad-data").textContent);
  var papers = data.papers;
  var PAGE = 200;        // list items shown at once; "Show more" adds another page
  var DEBOUNCE_MS = 60;  // typing bursts are coalesced, each search itself takes a few ms
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    form: $("controls"), q: $("q"), family: $("family"), modality: $("modality"),
    year: $("year"), sort: $("sort"), count: $("count"), list: $("results"), more: $("more")
  };
  var KEYS = ["q", "family", "modality", "year", "sort"];
  var DEFAULTS = { q: "", family: "", modality: "", year: "", sort: "list" };
  var nodes = new Array(papers.length);  // built once, on first display, then reused
  var orders = {};
  var matches = [];
  var shown = 0;
  var timer = 0;
  var lastKey = null;
  var lastQuery = null;
  var state = copy(DEFAULTS);
  // Timings for the browser test and the benchmark: milliseconds per search.
  var stats = window.medadStats = { searches: [], ready: 0 };

  function copy(obj) {
    var out = {};
    for (var key in obj) { if (Object.prototype.hasOwnProperty.call(obj, key)) out[key] = obj[key]; }
    return out;
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var haystack = papers.map(function (p) {
    return fold([p.title, p.short || "", p.authors.join(" "), p.venue || ""].join(" \u0001 "));
  });

  function option(select, value, label) {
    var el = document.createElement("option");
    el.value = value;
    el.textContent = label;
    select.appendChild(el);
  }

  function fillSelects() {
    data.families.forEach(function (f) { option(ui.family, f.id, f.label); });
    data.modalities.forEach(function (m) { option(ui.modality, m.id, m.label); });
    data.years.forEach(function (y) { option(ui.year, String(y), String(y)); });
    if (papers.some(function (p) { return p.year === null; })) option(ui.year, "unknown", "Unknown");
  }

  function safeUrl(url) {
    if (!/^https?:\/\//i.test(url)) return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = text;
    return el;
  }

  function build(i) {
    var p = papers[i];
    var li = document.createElement("li");
    var title = document.createElement("div");
    title.className = "title";
    title.appendChild(element("span", "", p.title));
    if (p.short) {
      title.appendChild(document.createTextNode(" ("));
      title.appendChild(element("span", "short", p.short));
      title.appendChild(document.createTextNode(")"));
    }
    li.appendChild(title);
    if (p.meta) li.appendChild(element("div", "byline", p.meta));
    if (p.where.length) li.appendChild(element("div", "where", p.where.join("; ")));
    var links = document.createElement("div");
    links.className = "links";
    p.links.forEach(function (pair) {
      var href = safeUrl(pair[1]);
      if (!href) return;
      var a = document.createElement("a");
      a.href = href;
      a.rel = "noopener noreferrer";
      a.textContent = "[" + pair[0] + "]";
      a.setAttribute("aria-label", pair[0] + ": " + p.title);
      links.appendChild(a);
    });
    if (links.childNodes.length) li.appendChild(links);
    return li;
  }

  function node(i) {
    return nodes[i] || (nodes[i] = build(i));
  }

  function order(sort) {
    if (orders[sort]) return orders[sort];
    var idx = papers.map(function (_, i) { return i; });
    if (sort === "title") {
      var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
      idx.sort(function (a, b) { return collator.compare(papers[a].title, papers[b].title) || a - b; });
    } else if (sort === "year-desc" || sort === "year-asc") {
      var sign = sort === "year-desc" ? -1 : 1;
      idx.sort(function (a, b) {
        var ya = papers[a].year, yb = papers[b].year;
        if (ya === yb) return a - b;
        if (ya === null) return 1;   // unknown years last, either way
        if (yb === null) return -1;
        return sign * (ya - yb);
      });
    }
    return (orders[sort] = idx);
  }

  function matcher() {
    var tokens = fold(state.q).split(/\s+/).filter(Boolean);
    var family = state.family, modality = state.modality, year = state.year;
    return function (i) {
      var p = papers[i];
      if (family && p.families.indexOf(family) < 0) return false;
      if (modality && p.modalities.indexOf(modality) < 0) return false;
      if (year && (year === "unknown" ? p.year !== null : String(p.year) !== year)) return false;
      var hay = haystack[i];
      for (var t = 0; t < tokens.length; t++) { if (hay.indexOf(tokens[t]) < 0) return false; }
      return true;
    };
  }

  function plural(n) { return n.toLocaleString("en") + (n === 1 ? " paper" : " papers"); }

  function showCount() {
    var total = papers.length;
    var text;
    if (!matches.length) text = "No papers match; clear a filter or the search to see more.";
    else if (matches.length === total && shown >= total) text = plural(total);
    else if (shown >= matches.length) text = plural(matches.length) + " of " + total.toLocaleString("en");
    else text = "Showing " + shown.toLocaleString("en") + " of " + plural(matches.length) +
      " (" + total.toLocaleString("en") + " in the list)";
    ui.count.textContent = text;
    ui.more.hidden = shown >= matches.length;
    ui.more.textContent = "Show " + Math.min(PAGE, matches.length - shown).toLocaleString("en") + " more";
  }

  function renderList() {
    var frag = document.createDocumentFragment();
    for (var k = 0; k < shown; k++) frag.appendChild(node(matches[k]));
    ui.list.replaceChildren(frag);
    showCount();
  }

  function search() {
    var start = performance.now();
    var keep = matcher();
    // Typing on at the end of the query can only narrow the matches: filter the last
    // result instead of the whole list (every word of the old query is a prefix of one
    // of the new query's words, and filters and sort are unchanged).
    var key = [state.family, state.modality, state.year, state.sort].join("\u0001");
    var query = fold(state.q);
    var narrowing = key === lastKey && lastQuery !== null && query.indexOf(lastQuery) === 0;
    matches = (narrowing ? matches : order(state.sort)).filter(keep);
    lastKey = key;
    lastQuery = query;
    shown = Math.min(PAGE, matches.length);
    renderList();
    void ui.list.offsetHeight;  // include style and layout in the measured time
    stats.searches.push(performance.now() - start);
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var next = copy(DEFAULTS);
    KEYS.forEach(function (key) {
      var value = params.get(key);
      if (value === null) return;
      if (key === "q") { next.q = value; return; }
      var select = ui[key];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) { next[key] = value; return; }
      }
    });
    return next;
  }

  function writeHash() {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key] !== DEFAULTS[key]) params.set(key, state[key]); });
    var hash = params.toString();
    var url = location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    if (url !== location.href) {
      try { history.replaceState(null, "", url); } catch (e) { location.replace(url); }
    }
  }

  function showState() {
    KEYS.forEach(function (key) { if (ui[key].value !== state[key]) ui[key].value = state[key]; });
  }

  function fromControls() {
    KEYS.forEach(function (key) { state[key] = ui[key].value; });
    writeHash();
    search();
  }

  ui.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fromControls, DEBOUNCE_MS);
  });
  ["family", "modality", "year", "sort"].forEach(function (key) {
    ui[key].addEventListener("change", fromControls);
  });
  ui.form.addEventListener("submit", function (event) { event.preventDefault(); fromControls(); });
  ui.form.addEventListener("reset", function (event) {
    event.preventDefault();
    state = copy(DEFAULTS);
    showState();
    writeHash();
    search();
    ui.q.focus();
  });
  ui.q.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && ui.q.value) { event.preventDefault(); ui.q.value = ""; fromControls(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      ui.q.focus();
      ui.q.select();
    }
  });
  ui.more.addEventListener("click", function () {
    var first = shown;
    shown = Math.min(shown + PAGE, matches.length);
    var frag = document.createDocumentFragment();
    for (var k = first; k < shown; k++) frag.appendChild(node(matches[k]));
    ui.list.appendChild(frag);
    showCount();
    var next = ui.list.children[first];
    if (next) { next.tabIndex = -1; next.focus(); }
  });
  window.addEventListener("hashchange", function () {
    state = readHash();
    showState();
    search();
  });

  fillSelects();
  state = readHash();
  showState();
  search();
  stats.ready = performance.now();
  document.documentElement.setAttribute("data-ready", "true");
})();
