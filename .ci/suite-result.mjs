// Closing line of a suite from one vitest JSON report: "N passed, N failed". In a suite every
// test must run, so a skipped test (a missing binary) counts as failed, and so does an empty run.
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
const failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + skipped + (r.numTotalTests === 0 ? 1 : 0);
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
