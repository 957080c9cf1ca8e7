import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseAgentArgs } from './agent.js';

describe('parseAgentArgs', () => {
  test('defaults', () => {
    expect(parseAgentArgs(['--server'])).toEqual({
      server: true,
      bind: '127.0.0.1',
      httpPort: 4646,
      dataDir: './berth-data',
      log: false,
    });
  });
  test('options', () => {
    expect(
      parseAgentArgs(['--server', '--bind', '0.0.0.0', '--http-port', '0', '--data-dir', '/x']),
    ).toMatchObject({
      bind: '0.0.0.0',
      httpPort: 0,
      dataDir: '/x',
    });
  });
  test.each([
    [[], 'berth agent needs a mode: --server'],
    [['--server', '--http-port', 'abc'], 'Invalid --http-port "abc": expected a port number'],
    [['--server', '--http-port', '70000'], 'Invalid --http-port "70000": expected a port number'],
    [['--server', '--nope'], "Unknown option '--nope'"],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseAgentArgs(args)).toThrow(message);
  });
});

test('berth agent --server serves the API, logs its address and stops on SIGINT', async () => {
  const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  try {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@berth/source',
        'apps/cli/src/main.ts',
        'agent',
        '--server',
        '--http-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^berth server listening on (http:\/\/\S+) /m.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
    });
    const res = await fetch(`${address}/v1/allocations`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[]');
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(out).toContain('berth server stopped');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an unknown command says so and exits 1', async () => {
  const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@berth/source', 'apps/cli/src/main.ts', 'nope'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(err).toContain('berth: unknown command "nope"');
});
