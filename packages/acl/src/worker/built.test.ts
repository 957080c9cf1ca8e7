import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { parsePolicy } from '../index.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

it(
  'a build (dist, .js, no tsx) starts its worker and lets the process exit when idle',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-acl-built-'));
    try {
      // The package's own build, into a directory of its own instead of dist/.
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      execFileSync(
        process.execPath,
        [tsc, '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')],
        { cwd: PACKAGE_DIR, stdio: 'pipe' },
      );
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      symlinkSync(join(PACKAGE_DIR, 'node_modules'), join(dir, 'node_modules'));
      const index = pathToFileURL(join(dir, 'dist', 'index.js')).href;
      const rules = 'namespace "default" { policy = "write" }';
      // No close: the idle worker must not keep the process alive (the timeout fails the test).
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { parsePolicyOffThread } from ${JSON.stringify(index)};\n` +
            `console.log(JSON.stringify(await parsePolicyOffThread(${JSON.stringify(rules)})));`,
        ],
        { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } },
      );
      expect(JSON.parse(out)).toEqual(parsePolicy(rules));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
