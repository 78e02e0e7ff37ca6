// Keep every code block reachable by keyboard (axe: scrollable-region-focusable).
//
// The theme gives a code block tabindex 0 only if it scrolls when the page loads or when
// nodes are added, and -1 otherwise. A block inside a solution that is still closed does
// not scroll yet, so it gets -1 and keeps it after the reader opens the solution, when it
// may well scroll sideways. The build writes tabindex="0" on every <pre>
// (tools/sphinx_ext/markup.py); this puts it back whenever the theme lowers it.
(() => {
  "use strict";
  const restore = (element) => {
    if (element.tagName === "PRE" && element.tabIndex !== 0) element.tabIndex = 0;
  };
  const start = () => {
    const main = document.getElementById("main-content") || document.body;
    main.querySelectorAll("pre").forEach(restore);
    new MutationObserver((changes) => changes.forEach((change) => restore(change.target))).observe(main, {
      subtree: true,
      attributes: true,
      attributeFilter: ["tabindex"],
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
