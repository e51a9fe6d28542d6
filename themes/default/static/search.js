// Podium search page: runs the query from ?q= on load and again as the reader types, over the
// index under search/ (fetched a shard at a time). The matching and ranking rules are those of
// src/search/matcher.rs, rule for rule; the folding rules are in search-fold.js. No external
// request, no inline script. See docs/search.md.
//
// Its words come from the page (`<script type="application/json" id="search-words">`, made by
// search.html from the theme's catalog), so they are in the page's language; the English ones
// below are for a theme whose search.html predates them. Counts pick their plural form with
// Intl.PluralRules, as CLDR defines them for the page's language.
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  var form = document.querySelector("form.search-form");
  if (!app || !form || typeof podiumFold === "undefined" || !window.fetch) return;
  var F = podiumFold;
  var input = form.querySelector("input[name=q]");
  var statusLine = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filters = document.getElementById("search-filters");
  var selects = Array.from(filters.querySelectorAll("select"));
  var indexUrl = app.getAttribute("data-index");
  var base = app.getAttribute("data-base");
  // The index holds the default language's addresses; a page in another language links to
  // that language's pages, which live under its prefix ("az/").
  var langPrefix = app.getAttribute("data-lang-prefix") || "";
  var PAGE = 10;
  var TIER = { typo: 0, prefix: 1, folded: 2, exact: 3 };
  var WORDS = {
    lang: "en",
    index_lang: "en",
    kind: { speaker: "Speaker", organization: "Organization", forum: "Forum" },
    kinds: { speaker: "Speakers", organization: "Organizations", forum: "Forums" },
    any: "Any ({n})",
    results: { one: "{count} result", other: "{count} results" },
    found: "{results} for “{query}”.",
    found_filtered: "{results} for “{query}” (filtered from {total}).",
    none: "No results for “{query}”.",
    none_filtered: "No results for “{query}”. Change the filters to see {total}.",
    too_short: "Type at least two letters of a word.",
    unavailable: "Search is not available: {error}."
  };
  var wordsElement = document.getElementById("search-words");
  if (wordsElement) {
    try {
      var given = JSON.parse(wordsElement.textContent);
      for (var w in given) if (given[w] !== null && given[w] !== undefined) WORDS[w] = given[w];
    } catch (e) { /* keep the English words */ }
  }
  var plurals = null;
  try { plurals = new Intl.PluralRules(WORDS.lang); } catch (e) { plurals = null; }

  // `text` with each {name} replaced by vars[name]; unknown names are left as they are.
  function fill(text, vars) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all;
    });
  }

  // A plural entry (CLDR category -> text) for n, or a plain text.
  function counted(forms, n) {
    if (typeof forms === "string") return fill(forms, { count: n });
    var category = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    var form = forms[category] !== undefined ? forms[category] : forms.other;
    return fill(form, { count: n });
  }

  document.getElementById("search-nojs").hidden = true;
  app.hidden = false;

  var cache = new Map();
  function get(name) {
    if (!cache.has(name)) {
      cache.set(name, fetch(indexUrl + name).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      }));
    }
    return cache.get(name);
  }

  function queryWords(q) {
    return F.words(q).map(function (w) {
      return { plain: F.plain(w), fold: F.fold(w), letters: F.letterCount(w) };
    }).filter(function (w) { return Array.from(w.fold).length >= 2; });
  }

  function tier(word, key, spelling) {
    if (key === word.fold) return spelling === word.plain ? TIER.exact : TIER.folded;
    if (key.startsWith(word.fold)) return TIER.prefix;
    if (word.letters >= 5 && F.oneEdit(word.fold, key)) return TIER.typo;
    return -1;
  }

  // Postings as src/search/index.rs writes them (see POSTING_DIGITS there): differences,
  // five bits a character, the last character of each from the first half of the alphabet.
  var POSTING_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function decodePostings(text) {
    var out = [];
    var last = 0;
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = POSTING_DIGITS.indexOf(text[i]);
      if (digit < 0) continue;
      n = n * 32 + (digit & 31);
      if (digit < 32) {
        last += n;
        out.push(last);
        n = 0;
      }
    }
    return out;
  }

  function kindOf(meta, doc) {
    return doc < meta.ends[0] ? "speaker" : doc < meta.ends[1] ? "organization" : "forum";
  }

  // Documents with every word, ranked: the weakest word's field (name, details, body), then
  // the sum of the words' tiers, then document order.
  function match(meta, shards, words) {
    var perWord = words.map(function (word) {
      var best = new Map();
      var shard = shards[F.shardKey(word.fold)] || {};
      for (var key in shard) {
        var groups = shard[key];
        for (var g = 0; g < groups.length; g++) {
          var t = tier(word, key, groups[g][0]);
          if (t < 0) continue;
          var postings = decodePostings(groups[g][1]);
          for (var i = 0; i < postings.length; i++) {
            var p = postings[i];
            var doc = Math.floor(p / 4);
            var field = Math.min(p % 4, 2);
            var had = best.get(doc);
            if (!had || field < had[0] || (field === had[0] && t > had[1])) best.set(doc, [field, t]);
          }
        }
      }
      return best;
    });
    var found = [];
    perWord[0].forEach(function (b, doc) {
      var field = b[0];
      var tiers = b[1];
      for (var w = 1; w < perWord.length; w++) {
        var o = perWord[w].get(doc);
        if (!o) return;
        field = Math.max(field, o[0]);
        tiers += o[1];
      }
      found.push([field, tiers, doc]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1] || a[2] - b[2]; });
    return found.map(function (f) { return f[2]; });
  }

  // The facets' numbers (see FACET_DIGITS in src/search/index.rs): index + 1, 0 for none.
  var DIGITS = "#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  function number(text, at, digits) {
    var n = 0;
    for (var i = at; i < at + digits; i++) n = n * DIGITS.length + Math.max(0, DIGITS.indexOf(text[i]));
    return n;
  }

  function facetsOf(meta, facets, doc) {
    var kind = kindOf(meta, doc);
    var out = { kind: kind, year: null, city: null, topic: [] };
    if (kind !== "forum") return out;
    var n = doc - meta.ends[1];
    var d = facets.digits;
    var y = number(facets.year, n * d[0], d[0]);
    var c = number(facets.city, n * d[1], d[1]);
    if (y > 0) out.year = String(facets.years[y - 1]);
    if (c > 0) out.city = facets.cities[c - 1];
    if (!facets.topicLists) facets.topicLists = facets.topic.split(" ");
    var t = facets.topicLists[n] || "";
    for (var i = 0; i < t.length; i += d[2]) {
      var v = number(t, i, d[2]);
      if (v > 0) out.topic.push(facets.topics[v - 1]);
    }
    return out;
  }

  function chosen() {
    var c = {};
    selects.forEach(function (s) { if (s.value) c[s.name] = s.value; });
    return c;
  }

  function passes(f, c) {
    if (c.kind && f.kind !== c.kind) return false;
    if (c.year && f.year !== c.year) return false;
    if (c.city && f.city !== c.city) return false;
    if (c.topic && f.topic.indexOf(c.topic) < 0) return false;
    return true;
  }

  function fillFilters(all, c) {
    var counts = { kind: new Map(), year: new Map(), topic: new Map(), city: new Map() };
    function add(name, value) { counts[name].set(value, (counts[name].get(value) || 0) + 1); }
    all.forEach(function (f) {
      add("kind", f.kind);
      if (f.year) add("year", f.year);
      if (f.city) add("city", f.city);
      f.topic.forEach(function (t) { add("topic", t); });
    });
    selects.forEach(function (s) {
      var name = s.name;
      var values = Array.from(counts[name].keys());
      if (name === "year") values.sort(function (a, b) { return b - a; });
      else if (name !== "kind") values.sort();
      if (c[name] && values.indexOf(c[name]) < 0) values.unshift(c[name]);
      s.textContent = "";
      var any = document.createElement("option");
      any.value = "";
      any.textContent = fill(WORDS.any, { n: all.length });
      s.appendChild(any);
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = (name === "kind" ? WORDS.kinds[v] : v) + " (" + (counts[name].get(v) || 0) + ")";
        s.appendChild(o);
      });
      s.value = c[name] || "";
    });
    filters.hidden = all.length === 0;
  }

  // Text with the words that match the query in <mark>, made as DOM nodes (never HTML).
  function marked(text, words) {
    var frag = document.createDocumentFragment();
    var parts = text.split(/([\p{Alphabetic}\p{N}\p{M}]+)/u);
    parts.forEach(function (part, i) {
      if (part === "") return;
      var hit = i % 2 === 1 && words.some(function (w) {
        return tier(w, F.fold(part), F.plain(part)) >= 0;
      });
      if (hit) {
        var m = document.createElement("mark");
        m.textContent = part;
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(part));
      }
    });
    return frag;
  }

  var run = 0;
  var shown = [];
  var current = { words: [], ranked: [], meta: null };

  function record(meta, doc) {
    var n = Math.floor(doc / meta.docs_per_file);
    return get("docs/" + n + ".json").then(function (rows) { return rows[doc % meta.docs_per_file]; });
  }

  function showMore(mine) {
    var meta = current.meta;
    var next = shown.slice(list.children.length, list.children.length + PAGE);
    return Promise.all(next.map(function (doc) { return record(meta, doc); })).then(function (rows) {
      if (mine !== run) return;
      rows.forEach(function (row, i) {
        var kind = kindOf(meta, next[i]);
        var li = document.createElement("li");
        var label = document.createElement("span");
        label.className = "search-kind";
        label.textContent = WORDS.kind[kind];
        var a = document.createElement("a");
        a.href = base + langPrefix + row[1];
        // Names and titles are the index's, in the default language.
        if (WORDS.index_lang !== WORDS.lang) a.lang = WORDS.index_lang;
        a.appendChild(marked(row[0], current.words));
        li.appendChild(label);
        li.appendChild(a);
        if (row[2]) {
          var p = document.createElement("p");
          if (WORDS.index_lang !== WORDS.lang) p.lang = WORDS.index_lang;
          p.appendChild(marked(row[2], current.words));
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      more.hidden = list.children.length >= shown.length;
    });
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function render(mine) {
    var meta = current.meta;
    var c = chosen();
    var all = current.ranked.map(function (doc) { return facetsOf(meta, current.facets, doc); });
    fillFilters(all, c);
    c = chosen();
    shown = current.ranked.filter(function (doc, i) { return passes(all[i], c); });
    list.textContent = "";
    var q = input.value.trim();
    var total = current.ranked.length;
    if (shown.length === 0) {
      say(fill(total ? WORDS.none_filtered : WORDS.none, { query: q, total: total }));
      more.hidden = true;
      return Promise.resolve();
    }
    var results = counted(WORDS.results, shown.length);
    say(fill(shown.length < total ? WORDS.found_filtered : WORDS.found, { results: results, query: q, total: total }));
    return showMore(mine);
  }

  function remember(q) {
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    selects.forEach(function (s) {
      if (s.value) url.searchParams.set(s.name, s.value); else url.searchParams.delete(s.name);
    });
    history.replaceState(null, "", url);
  }

  function search() {
    var mine = ++run;
    var q = input.value.trim();
    remember(q);
    var words = queryWords(q);
    if (words.length === 0) {
      list.textContent = "";
      more.hidden = true;
      filters.hidden = true;
      say(q ? WORDS.too_short : "");
      return Promise.resolve();
    }
    return get("index.json").then(function (meta) {
      if (meta.version !== 1) throw new Error("search index format " + meta.version);
      var keys = Array.from(new Set(words.map(function (w) { return F.shardKey(w.fold); })));
      var loads = keys.map(function (k) {
        return meta.shards[k] ? get("terms/" + meta.shards[k] + ".json") : Promise.resolve({});
      });
      return Promise.all([get("facets.json"), Promise.all(loads)]).then(function (got) {
        if (mine !== run) return;
        var shards = {};
        keys.forEach(function (k, i) { shards[k] = got[1][i]; });
        current = { words: words, ranked: match(meta, shards, words), meta: meta, facets: got[0] };
        return render(mine);
      });
    }).catch(function (e) {
      if (mine === run) say(fill(WORDS.unavailable, { error: e.message }));
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var v = params.get(s.name);
    if (v) {
      var o = document.createElement("option");
      o.value = v;
      s.appendChild(o);
      s.value = v;
    }
  });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
  selects.forEach(function (s) {
    s.addEventListener("change", function () {
      var mine = ++run;
      remember(input.value.trim());
      if (current.meta) render(mine);
    });
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(run).then(function () {
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
    });
  });
  window.podiumSearch = { search: search };
  search();
})();
