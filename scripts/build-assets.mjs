// Builds build/static from the npm packages: compiles our Sass entry points against
// govuk-frontend and copies its JavaScript, fonts and images. Nothing third-party is committed.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(out, "site"), { recursive: true });
for (const brand of ["neutral", "govuk"]) {
  const result = sass.compile(join(root, "config", "assets", `${brand}.scss`), {
    loadPaths: [join(root, "node_modules")],
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin"],
  });
  writeFileSync(join(out, "site", `${brand}.css`), result.css);
}
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"), { recursive: true });
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
console.log(`GOV.UK Frontend assets built in ${out}`);
