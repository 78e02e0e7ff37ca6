/* The sentence under each search result (loaded by tools/sphinx_ext/search.py on the search page).
 *
 * Sphinx's search takes a result's summary from the page's [role="main"] element. In this
 * theme that element starts with the download buttons and a print-only table of contents, so
 * the first place a searched word appears is usually a heading in that list ("Contents
 * Introduction ELI5 ...") instead of a sentence. A glossary term is found at its <dt>, which
 * holds only the term. Here the summary comes from the article itself, and a term's summary
 * is the term and its definition.
 */
"use strict";
(() => {
  const articleText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    for (const removed of [".headerlink", "script", "style"]) {
      page.querySelectorAll(removed).forEach((element) => element.remove());
    }
    const article = page.querySelector('[role="main"] article.bd-article') ||
      page.querySelector('[role="main"]');
    if (!article) return "";
    let text = article.textContent;
    const target = anchor ? article.querySelector(anchor) : null;
    if (target && target.tagName === "DT" && target.nextElementSibling) {
      text = target.textContent + ": " + target.nextElementSibling.textContent;
    } else if (target) {
      text = target.textContent;
    }
    return text.replace(/\s+/g, " ").trim();
  };
  const patch = () => {
    if (typeof Search === "undefined") return false;
    Search.htmlToText = articleText;
    return true;
  };
  if (!patch()) document.addEventListener("DOMContentLoaded", patch);
})();
