// Typesets the formulas of one page at a time with MathJax, for tools/sphinx_ext/mathjax.py.
//
// Usage: node typeset.js MATHJAX_DIR, where MATHJAX_DIR holds MathJax 3's components (the
// directory the sphinx-mathjax-offline wheel ships). Each line read from stdin is a JSON
// request {"formulas": [[tex, display], ...], "fonts": URL}; each line written to stdout is
// the JSON answer {"html": [...], "css": "...", "errors": [[index, message], ...]}: every
// formula as MathJax's HTML output (CHTML) with the hidden MathML screen readers read, and
// the stylesheet those formulas need, fonts loaded from URL. A formula MathJax cannot
// parse is reported in "errors", never silently drawn as an error box.
"use strict";

const readline = require("readline");

const mathjaxDir = process.argv[2];
const FONT_URL = "@FONTS@";

require(`${mathjaxDir}/node-main.js`)
  .init({
    loader: {
      paths: { mathjax: mathjaxDir },
      load: ["input/tex", "output/chtml", "adaptors/liteDOM", "a11y/assistive-mml"],
    },
    // MathJax in a browser scales formulas to the x-height of the text around them, which
    // depends on the reader's system font (127 % for this theme in Debian's Chromium). Node.js
    // cannot measure a font, so formulas take one scale that suits sans-serif body text.
    chtml: { fontURL: FONT_URL, scale: 1.2 },
    startup: { typeset: false },
  })
  .then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const output = MathJax.startup.output;
    const typesetPage = (request) => {
      // The stylesheet of a page names only the characters its own formulas use.
      output.clearCache();
      const html = [];
      const errors = [];
      request.formulas.forEach(([tex, display], index) => {
        const node = MathJax.tex2chtml(tex, { display });
        const error = adaptor.tags(node, "mjx-merror")[0];
        if (error) errors.push([index, adaptor.getAttribute(error, "data-mjx-error")]);
        html.push(adaptor.outerHTML(node));
      });
      const css = adaptor.textContent(MathJax.chtmlStylesheet()).split(FONT_URL).join(request.fonts);
      return { html, css, errors };
    };
    const lines = readline.createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      process.stdout.write(`${JSON.stringify(typesetPage(JSON.parse(line)))}\n`);
    });
  })
  .catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
