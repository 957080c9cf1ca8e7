// Adds up the vitest JSON reports of every package into one "N passed, N failed" line. A run whose
// runner failed without reporting a failed test (a crash, a type error at load) still counts as one
// failure, each failed check (typecheck, lint, format) counts as one more, and the exit code is
// non-zero whenever anything failed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, runnerStatus = '0', checksFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that failed to load has no failed tests but is still a failure.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
}
if (runnerStatus !== '0' && failed === 0) failed = 1;
failed += Number(checksFailed);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
