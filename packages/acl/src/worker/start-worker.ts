// Starts parse-worker in a thread, from the built package (`dist/worker/parse-worker.js`) or, when
// this module itself runs from source (tsx, vitest: the "@berth/source" condition), from
// `src/worker/parse-worker.ts`: each module finds the worker beside itself, as hcl.ts finds the
// parser, through import.meta.url.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

const fromSource = import.meta.url.endsWith('.ts');

/** The worker's module, beside this one: `.ts` in the source tree, `.js` in `dist`. */
export const PARSE_WORKER_URL = new URL(
  `./parse-worker.${fromSource ? 'ts' : 'js'}`,
  import.meta.url,
);

/**
 * Starts the worker module at `url` in a new thread. It gets none of the process's Node flags:
 * it needs none, and some (`--input-type`, `-e`) would stop a worker from starting.
 */
export function startParseWorker(url: URL, resourceLimits: ResourceLimits): Worker {
  if (!fromSource) return new Worker(url, { resourceLimits, execArgv: [] });
  // Node 20 gives a worker none of the module hooks of the thread that starts it, and vitest's
  // transform never reaches a worker: the worker registers tsx (a dev dependency of the
  // workspace, present wherever the source runs) before it imports the TypeScript entry.
  const code =
    `import { register } from ${JSON.stringify(tsxEsmApi())};\n` +
    `register();\n` +
    `await import(${JSON.stringify(url.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    resourceLimits,
    execArgv: [],
  });
}

/** The URL of tsx's `tsx/esm/api` module for `import` (require.resolve would give its CommonJS twin). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
