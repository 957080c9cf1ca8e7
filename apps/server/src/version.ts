// berth's own version, read once from the server package's package.json: from src/ (source runs)
// and from dist/ (builds) alike, the file is one folder up.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || !/^\d+\.\d+\.\d+/.test(pkg.version)) {
    throw new Error(`${url.pathname}: no semantic "version"`);
  }
  return pkg.version;
}

/** berth's version (`major.minor.patch[-prerelease][+metadata]`), as its package declares it. */
export const BERTH_VERSION: string = readVersion();
