// Writes the formulas of one page at a time as MathML with Temml, for tools/sphinx_ext/formulas.py.
//
// Usage: node typeset.js TEMML, where TEMML is Temml's CommonJS build (node_modules/temml/dist/
// temml.cjs, installed by `npm ci`). Each line read from stdin is a JSON request
// {"formulas": [[tex, display], ...]}; each line written to stdout is the JSON answer
// {"mathml": [...], "errors": [[index, message], ...]}: every formula as a <math> element
// (MathML Core, which the browser draws itself). A formula Temml cannot parse is reported in
// "errors", never silently drawn as an error box.
"use strict";

const readline = require("readline");

const temml = require(process.argv[2]);

const convertPage = (request) => {
  const mathml = [];
  const errors = [];
  request.formulas.forEach(([tex, display], index) => {
    try {
      // wrap "=": a long inline formula may break across lines after a top-level "=". (At
      // every operator, as "tex" allows, Chromium loses the space after a comma that Temml
      // puts in a row of its own: "1, …,n".)
      mathml.push(temml.renderToString(tex, { displayMode: display, throwOnError: true, wrap: "=" }));
    } catch (error) {
      if (!(error instanceof temml.ParseError)) throw error;
      errors.push([index, error.message]);
      mathml.push("");
    }
  });
  return { mathml, errors };
};

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(`${JSON.stringify(convertPage(JSON.parse(line)))}\n`);
});
