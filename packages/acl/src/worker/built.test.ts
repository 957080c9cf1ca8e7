import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
      // The builds of this package and of @berth/worker-thread (which it imports), each into a
      // directory of its own instead of its dist/, linked as an install would link them.
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const build = (cwd: string, project: string, outDir: string): void => {
        execFileSync(process.execPath, [tsc, '-p', project, '--outDir', outDir], {
          cwd,
          stdio: 'pipe',
        });
      };
      const workerThread = realpathSync(
        join(PACKAGE_DIR, 'node_modules', '@berth', 'worker-thread'),
      );
      const workerThreadBuilt = join(dir, 'worker-thread');
      build(workerThread, 'tsconfig.build.json', join(workerThreadBuilt, 'dist'));
      copyFileSync(join(workerThread, 'package.json'), join(workerThreadBuilt, 'package.json'));
      // This package's build reads @berth/worker-thread's types from that build.
      const tsconfig = join(dir, 'tsconfig.build.json');
      writeFileSync(
        tsconfig,
        JSON.stringify({
          extends: join(PACKAGE_DIR, 'tsconfig.build.json'),
          compilerOptions: {
            // Type packages are looked up from the config's directory: this package's.
            typeRoots: [join(PACKAGE_DIR, 'node_modules', '@types')],
            paths: { '@berth/worker-thread': [join(workerThreadBuilt, 'dist', 'index.d.ts')] },
          },
        }),
      );
      build(PACKAGE_DIR, tsconfig, join(dir, 'dist'));
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      mkdirSync(join(dir, 'node_modules', '@berth'), { recursive: true });
      symlinkSync(workerThreadBuilt, join(dir, 'node_modules', '@berth', 'worker-thread'));
      symlinkSync(
        join(PACKAGE_DIR, 'node_modules', 'js-hcl-parser'),
        join(dir, 'node_modules', 'js-hcl-parser'),
      );
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
