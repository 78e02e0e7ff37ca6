// Formulas typeset as the reader reaches them, with MathJax loaded only when needed.
//
// MathJax is a megabyte of script, and typesetting every formula of a long lesson at once
// keeps a phone busy for a noticeable moment. The layout template (_templates/layout.html)
// writes this script instead of MathJax's own tag, with MathJax's address in
// data-mathjax-src, and MathJax is configured not to typeset the page by itself
// (startup.typeset = false in _config.yml). Here, each formula is typeset when it comes
// within a screen's height of the window; MathJax is loaded the first time that happens,
// or at the reader's first click or key press. Opening the download menu (its ".pdf"
// prints the page) and printing typeset every formula.
// window.courseTypesetAll() does the same for the site's browser checks.
(() => {
  const src = document.currentScript.dataset.mathjaxSrc;
  let ready = null;
  const load = () => {
    if (ready === null) {
      ready = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = () => window.MathJax.startup.promise.then(resolve, reject);
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return ready;
  };
  // MathJax wants one typesetting call at a time: chain them.
  let queue = Promise.resolve();
  // A displayed formula wider than the column scrolls sideways; as in MathJax's own
  // combined build (whose menu does it), it takes keyboard focus so it can be scrolled.
  const focusable = (elements) => {
    for (const element of elements) {
      for (const display of element.querySelectorAll('mjx-container[display="true"]')) {
        display.setAttribute("tabindex", "0");
      }
    }
  };
  const typeset = (elements) => {
    queue = queue
      .then(load)
      .then(() => window.MathJax.typesetPromise(elements))
      .then(() => focusable(elements));
    return queue;
  };
  const start = () => {
    const formulas = [...document.querySelectorAll(".math")];
    if (formulas.length === 0) {
      window.courseTypesetAll = () => Promise.resolve();
      return;
    }
    const waiting = new Set(formulas);
    const take = (elements) => {
      const batch = elements.filter((element) => waiting.delete(element));
      return batch.length ? typeset(batch) : queue;
    };
    let observer = null;
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(
        (entries) => {
          const visible = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
          visible.forEach((element) => observer.unobserve(element));
          take(visible);
        },
        { rootMargin: "100% 0px" },
      );
      formulas.forEach((formula) => observer.observe(formula));
    }
    window.courseTypesetAll = () => {
      if (observer) observer.disconnect();
      return take(formulas);
    };
    if (!observer) window.courseTypesetAll();
    for (const event of ["pointerdown", "keydown"]) {
      window.addEventListener(event, load, { once: true });
    }
    window.addEventListener("beforeprint", window.courseTypesetAll);
    // Printing cannot wait for typesetting: opening the download menu (whose ".pdf" prints
    // the page) typesets every formula ahead of time.
    const menu = document.querySelector(".dropdown-download-buttons");
    if (menu) menu.addEventListener("click", window.courseTypesetAll, { once: true });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
