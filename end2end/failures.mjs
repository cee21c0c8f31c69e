// Prints the browser tests that failed, one short block each, from Playwright's JSON report.
// `make test` prints it last: CI shows only the end of a run's output, and the list reporter
// puts each failure's message far above it (a failure on CI once showed nothing but its title).
import { readFileSync } from "node:fs";

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch {
  process.exit(0);
}

// ANSI colour codes in Playwright's messages only clutter a log.
const plain = (text) => String(text ?? "").replace(/\u001b\[[0-9;]*m/g, "");

function* specs(suite) {
  for (const spec of suite.specs ?? []) yield spec;
  for (const child of suite.suites ?? []) yield* specs(child);
}

// Errors outside any test: a spec that does not compile, a server that never answered.
for (const error of report.errors ?? []) {
  console.log(`ERROR ${plain(error.message).split("\n").filter((l) => l.trim()).slice(0, 4).join(" | ")}`);
}

for (const suite of report.suites ?? []) {
  for (const spec of specs(suite)) {
    for (const test of spec.tests ?? []) {
      const failed = (test.results ?? []).find((r) => r.status === "failed" || r.status === "timedOut");
      if (!failed) continue;
      const error = failed.error ?? failed.errors?.[0] ?? {};
      const where = error.location ? `${error.location.file.split("/").pop()}:${error.location.line}` : `${spec.file}:${spec.line}`;
      console.log(`FAILED [${test.projectName}] ${spec.title}`);
      console.log(`  at ${where}: ${plain(error.message).split("\n").filter((l) => l.trim()).slice(0, 4).join(" | ")}`);
    }
  }
}
