// The site's search scorer (conf.py's html_search_scorer; Sphinx puts it into language_data.js, which
// only the search page loads). See search_ranking.py: pages are scored by BM25 over the words of the
// query, counted by where they stand, plus a prior by page kind; each page is listed once; snippets
// show math as text. Objects of the API (results of kind "object") keep Sphinx's own score.

var Scorer = {
  // Sphinx's defaults, which it uses before score() (searchtools.js).
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  score: (result) => {
    const [docname, , , , score, , kind] = result;
    const data = window.SEARCH_RANKING;
    if (!data) return score;
    // An API object: first for a query that looks like code, after the pages about a plain word.
    if (kind === "object") return STSearch.looksLikeCode() ? score + 10 : score - 5;
    const index = STSearch.docIndex().get(docname);
    if (index === undefined) return score;
    let relevance = 0;
    const terms = STSearch.queryTerms();
    for (const term of terms) {
      relevance += STSearch.bm25(term, index);
      // an irrep label also stands for its basis functions (B1g: x² − y²)
      for (const word of data.synonyms[term] || []) {
        if (terms.includes(word)) continue;
        relevance += STSearch.SYNONYM_WEIGHT * STSearch.bm25(word, index);
        // a page titled with the function (Task 3, "... x² − y² input") is about the label
        if ((data.title_phrases[index] || []).includes(word)) relevance += STSearch.TITLE_PHRASE;
      }
    }
    // The page's own title holds every word of the query (D4h: "D4h (4/mmm)"): it is the page about it.
    const title = data.title_words[index] || [];
    const named = terms.length > 0 && terms.every((term) => title.includes(term)) ? STSearch.TITLE_BONUS : 0;
    return Math.round(10 * (data.priors[index] + 4 * relevance + named)) / 10;
  },
};

const STSearch = {
  SYNONYM_WEIGHT: 1,
  TITLE_PHRASE: 2,
  TITLE_BONUS: 10,
  _docIndex: null,
  _terms: null,

  // BM25 (k1 = 1.2, b = 0.75) of one word on one page, from the weighted count of search_ranking.py.
  bm25: (term, index) => {
    const data = window.SEARCH_RANKING;
    const pages = data.terms[term];
    if (!pages) return 0; // on one page only: the prior decides
    const entry = pages.find(([page]) => page === index);
    if (!entry) return 0;
    const idf = Math.log(1 + (data.docs.length - pages.length + 0.5) / (pages.length + 0.5));
    const norm = 1.2 * (0.25 + 0.75 * data.lengths[index]);
    return (idf * entry[1] * 2.2) / (entry[1] + norm);
  },

  looksLikeCode: () => {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    return /[._]|[a-z][A-Z]/.test(query);
  },

  docIndex: () => {
    if (!STSearch._docIndex)
      STSearch._docIndex = new Map(window.SEARCH_RANKING.docs.map((name, i) => [name, i]));
    return STSearch._docIndex;
  },

  // The query's words as the index stores them: split like the index, lower case, stemmed.
  queryTerms: () => {
    if (!STSearch._terms) {
      const query = new URLSearchParams(window.location.search).get("q") || "";
      const stemmer = new Stemmer();
      STSearch._terms = [
        ...new Set(
          splitQuery(query)
            .map((word) => word.toLowerCase())
            .filter((word) => !stopwords.has(word))
            .map((word) => stemmer.stemWord(word)),
        ),
      ];
    }
    return STSearch._terms;
  },

  // TeX as a reader would write it in plain text: \(B_{1g}\) -> B1g, x^2 - y^2 -> x² − y².
  texToText: (tex) => {
    const SUP = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
    const SYMBOLS = {
      alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η",
      theta: "θ", lambda: "λ", mu: "μ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ",
      varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Sigma: "Σ", Phi: "Φ",
      Omega: "Ω", cdot: "·", times: "×", to: "→", rightarrow: "→", mapsto: "↦", le: "≤", leq: "≤",
      ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", pm: "±", infty: "∞", in: "∈", subset: "⊂",
      subseteq: "⊆", sum: "Σ", prod: "Π", partial: "∂", nabla: "∇", langle: "⟨", rangle: "⟩",
      lVert: "‖", rVert: "‖", Vert: "‖", ldots: "…", cdots: "⋯", dots: "…", oplus: "⊕",
      otimes: "⊗", circ: "∘", hat: "", vec: "", bar: "", tilde: "", quad: " ", qquad: " ",
      left: "", right: "", big: "", Big: "", bigl: "", bigr: "", displaystyle: "",
    };
    let text = tex.replace(/^\s*\\[([]/, "").replace(/\\[)\]]\s*$/, "");
    text = text.replace(/\\begin\{[a-z*]+\}|\\end\{[a-z*]+\}/g, " ");
    text = text.replace(/\\\\/g, "; ").replace(/&/g, " ");
    text = text.replace(/\\sqrt\{([^{}]*)\}/g, "√$1");
    for (let done; (done = text.replace(/\\[td]?frac\{([^{}]*)\}\{([^{}]*)\}/g, "$1/$2")) !== text; ) text = done;
    text = text.replace(/\\(?:mathrm|mathbf|mathit|text|operatorname|boldsymbol)\{([^{}]*)\}/g, "$1");
    text = text.replace(/\^\{?(\d+)\}?/g, (m, digits) => Array.from(digits, (d) => SUP[d]).join(""));
    text = text.replace(/_\{([^{}]*)\}|_(\w)/g, (m, braced, one) => braced || one);
    text = text.replace(/\\([A-Za-z]+)/g, (m, name) => (name in SYMBOLS ? SYMBOLS[name] : name));
    text = text.replace(/\\[,;:! ]/g, " ").replace(/[{}]/g, "").replace(/(\s)-(\s)/g, "$1−$2");
    return text.replace(/\s+/g, " ").trim();
  },

  patch: () => {
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const html = new DOMParser().parseFromString(htmlString, "text/html");
      // A formula's TeX is its MathML's annotation (_ext/mathml.py).
      html.querySelectorAll(".math").forEach((el) => {
        const tex = el.querySelector("annotation")?.textContent ?? el.textContent;
        el.textContent = ` ${STSearch.texToText(tex)} `;
      });
      return htmlToText(html.documentElement.outerHTML, anchor);
    };
    const performSearch = Search._performSearch;
    // Each page once: the results come lowest score first (searchtools pops them from the end).
    Search._performSearch = (...args) => {
      const seen = new Set();
      return performSearch(...args)
        .reverse()
        .filter(([docname]) => !seen.has(docname) && seen.add(docname))
        .reverse();
    };
  },
};

if (typeof Search !== "undefined") STSearch.patch();
else document.addEventListener("DOMContentLoaded", STSearch.patch);
