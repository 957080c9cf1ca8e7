// The queue in a process of its own: a job running keeps the process alive until it is answered,
// an idle worker does not (no close needed for the process to exit).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TEST_QUEUE = new URL('./test-fixtures/test-queue.ts', import.meta.url).href;

it('keeps the process alive while a job runs, and lets it exit once idle', () => {
  const code = `
    import { testQueue } from ${JSON.stringify(TEST_QUEUE)};
    const q = testQueue();
    // Not awaited: only the running job can keep this process alive until the answer comes.
    void q.run({ op: 'spin', ms: 300 }).then((answer) => console.log(JSON.stringify(answer)));
  `;
  const started = Date.now();
  // The timeout fails the test if the idle worker keeps the process alive.
  const out = execFileSync(
    process.execPath,
    ['--conditions=@berth/source', '--import', 'tsx', '--input-type=module', '-e', code],
    {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      timeout: 25_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  expect(JSON.parse(out)).toEqual({ spun: 300 });
  expect(Date.now() - started).toBeLessThan(25_000);
}, 30_000);
