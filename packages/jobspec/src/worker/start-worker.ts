// Starts parse-worker in a thread, from the built package (`dist/worker/parse-worker.js`) or, when
// this module runs from source (tsx, vitest: the "@berth/source" condition), from
// `src/worker/parse-worker.ts` through tsx, as @berth/acl's policy parser thread does.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

const fromSource = import.meta.url.endsWith('.ts');

/** The worker's module, beside this one. */
export const PARSE_WORKER_URL = new URL(
  `./parse-worker.${fromSource ? 'ts' : 'js'}`,
  import.meta.url,
);

export function startParseWorker(url: URL, resourceLimits: ResourceLimits): Worker {
  if (!fromSource) return new Worker(url, { resourceLimits, execArgv: [] });
  // Node 20 gives a worker none of the module hooks of its parent: register tsx first.
  const code =
    `import { register } from ${JSON.stringify(tsxEsmApi())};\n` +
    `register();\n` +
    `await import(${JSON.stringify(url.href)});\n`;
  // The source condition makes workspace packages (@berth/contract) resolve to their source too.
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    resourceLimits,
    execArgv: ['--conditions=@berth/source'],
  });
}

function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
