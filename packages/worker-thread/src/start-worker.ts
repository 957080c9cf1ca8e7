// Starts a worker module in a thread: a built one (`.js`) as it is, one from source (`.ts`: tsx,
// vitest, the "@berth/source" condition) through tsx, since Node 20 hands a worker none of the
// module hooks of the thread that starts it and vitest's transform never reaches a worker.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * The worker module `name` beside the module at `moduleUrl` (pass `import.meta.url`):
 * `name.ts` when that module runs from source, `name.js` when it runs from `dist`.
 */
export function workerBeside(moduleUrl: string, name: string): URL {
  return new URL(`./${name}.${fromSource(moduleUrl) ? 'ts' : 'js'}`, moduleUrl);
}

/** Whether the module at `moduleUrl` (pass `import.meta.url`) runs from source (`.ts`). */
export function fromSource(moduleUrl: string): boolean {
  return new URL(moduleUrl).pathname.endsWith('.ts');
}

/**
 * Starts the worker module at `url` in a new thread. It gets none of the process's Node flags
 * (some, as `--input-type` or `-e`, would stop a worker from starting). With `source` (the
 * module is TypeScript, or imports some) it gets tsx and the "@berth/source" condition, so the
 * workspace packages it imports load from source too.
 */
export function startWorker(url: URL, resourceLimits: ResourceLimits, source: boolean): Worker {
  if (!source) return new Worker(url, { resourceLimits, execArgv: [] });
  const code =
    `import { register } from ${JSON.stringify(tsxEsmApi())};\n` +
    `register();\n` +
    `await import(${JSON.stringify(url.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    resourceLimits,
    execArgv: ['--conditions=@berth/source'],
  });
}

/**
 * The URL of tsx's `tsx/esm/api` module for `import` (require.resolve would give its CommonJS
 * twin). tsx is a dev dependency of the workspace, present wherever the source runs.
 */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
