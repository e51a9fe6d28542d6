// Podium search: the matching rules, word for word those of src/search/fold.rs (both are
// checked against tests/search/fold-vectors.json). See docs/search.md.
var podiumFold = (function () {
  "use strict";

  var WORD_SEPARATOR = /[^\p{Alphabetic}\p{N}\p{M}]+/u;
  var MARKS = /\p{M}/gu;

  // The words of a text, as written.
  function words(text) {
    return text.split(WORD_SEPARATOR).filter(function (w) { return w !== ""; });
  }

  // Lower case, Turkic-aware: İ, I and ı are i; й is y before its breve could be dropped.
  function plain(word) {
    var out = "";
    for (var c of word) {
      if (c === "İ" || c === "I" || c === "ı") out += "i";
      else if (c === "Й" || c === "й") out += "y";
      else out += c;
    }
    return out.toLowerCase();
  }

  var CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "ҝ": "g", "һ": "g",
    "д": "d", "е": "e", "э": "e", "є": "e", "ж": "j", "ҹ": "j", "ч": "j", "з": "z",
    "и": "i", "і": "i", "ы": "i", "ј": "y", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ү": "u", "ф": "f", "х": "x", "ц": "ts", "ш": "s", "щ": "s", "ю": "yu", "я": "ya",
    "ь": "", "ъ": ""
  };

  var DIGRAPHS = [["dzh", "j"], ["dj", "j"], ["zh", "j"], ["ch", "j"], ["kh", "x"], ["gh", "g"], ["sh", "s"]];

  var CLASSES = {
    "ə": "a", "ä": "a", "e": "a", "a": "a", "c": "j", "j": "j",
    "x": "g", "h": "g", "q": "g", "g": "g", "w": "v", "y": ""
  };

  function letterClass(c) {
    return Object.prototype.hasOwnProperty.call(CLASSES, c) ? CLASSES[c] : c;
  }

  // The key every spelling of a word shares.
  function fold(word) {
    var latin = "";
    for (var c of plain(word).normalize("NFD").replace(MARKS, "")) {
      latin += Object.prototype.hasOwnProperty.call(CYRILLIC, c) ? CYRILLIC[c] : c;
    }
    var out = "";
    var last = null;
    var rest = latin;
    while (rest.length > 0) {
      var cls = null;
      var len = 0;
      for (var i = 0; i < DIGRAPHS.length; i++) {
        if (rest.startsWith(DIGRAPHS[i][0])) {
          cls = letterClass(DIGRAPHS[i][1]);
          len = DIGRAPHS[i][0].length;
          break;
        }
      }
      if (len === 0) {
        var first = String.fromCodePoint(rest.codePointAt(0));
        cls = letterClass(first);
        len = first.length;
      }
      rest = rest.slice(len);
      if (cls !== "" && cls !== last) {
        out += cls;
        last = cls;
      }
    }
    return out;
  }

  function sameTail(a, i, b, j) {
    if (a.length - i !== b.length - j) return false;
    for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
    return true;
  }

  // One letter added, dropped, changed, or two neighbours swapped, at most.
  function oneEdit(x, y) {
    var a = Array.from(x);
    var b = Array.from(y);
    if (Math.abs(a.length - b.length) > 1) return false;
    var s = 0;
    while (s < a.length && s < b.length && a[s] === b[s]) s++;
    if (s === a.length && s === b.length) return true;
    var ra = a.length - s;
    var rb = b.length - s;
    if (ra === rb && ra >= 2 && a[s] === b[s + 1] && a[s + 1] === b[s] && sameTail(a, s + 2, b, s + 2)) return true;
    if (ra >= 1 && rb >= 1 && sameTail(a, s + 1, b, s + 1)) return true;
    if (ra >= 1 && sameTail(a, s + 1, b, s)) return true;
    if (rb >= 1 && sameTail(a, s, b, s + 1)) return true;
    return false;
  }

  // Letters as typed (marks do not count): the typo rule's length.
  function letterCount(word) {
    return Array.from(word.replace(MARKS, "")).length;
  }

  // The shard a key is filed in (its first two letters) and that shard's file name.
  function shardKey(key) {
    return Array.from(key).slice(0, 2).join("");
  }
  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    var hex = "";
    for (var byte of new TextEncoder().encode(key)) hex += byte.toString(16).padStart(2, "0");
    return "u" + hex;
  }

  return {
    words: words, plain: plain, fold: fold, oneEdit: oneEdit, letterCount: letterCount,
    shardKey: shardKey, shardFile: shardFile
  };
})();
