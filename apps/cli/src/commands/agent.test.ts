import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, spawnBerth } from '@berth/test-support';
import { describe, expect, test } from 'vitest';
import { parseAgentArgs } from './agent.js';

describe('parseAgentArgs', () => {
  test('defaults', () => {
    expect(parseAgentArgs(['--server'])).toEqual({
      server: true,
      client: false,
      dev: false,
      servers: [],
      bind: '127.0.0.1',
      httpPort: 4646,
      dataDir: './berth-data',
      nodeName: '',
      datacenter: 'dc1',
      nodeClass: '',
      nodePool: 'default',
      meta: {},
      log: false,
      jobMaxCount: undefined,
      jobMaxPriority: undefined,
      allowedOrigins: [],
      acl: false,
      insecure: false,
      token: undefined,
    });
  });
  test('--acl and --insecure for a server, --token for a node agent', () => {
    expect(parseAgentArgs(['--server', '--acl'])).toMatchObject({ acl: true, insecure: false });
    expect(parseAgentArgs(['--dev', '--acl'])).toMatchObject({ acl: true, client: true });
    expect(parseAgentArgs(['--server', '--bind', '0.0.0.0', '--insecure'])).toMatchObject({
      bind: '0.0.0.0',
      insecure: true,
      acl: false,
    });
    const token = '3f8c1c6e-5f6a-4a39-9d0b-2c1f0e6a7b11';
    expect(
      parseAgentArgs(['--client', '--servers', '10.0.0.1:4646', '--token', token]),
    ).toMatchObject({ client: true, token });
    expect(parseAgentArgs(['--dev', '--acl', `--token=${token}`])).toMatchObject({ token });
  });
  test('server limits and allowed origins', () => {
    expect(
      parseAgentArgs([
        '--server',
        '--job-max-count',
        '100',
        '--job-max-priority',
        '200',
        '--allowed-origin',
        'https://ui.example.com',
      ]),
    ).toMatchObject({
      jobMaxCount: 100,
      jobMaxPriority: 200,
      allowedOrigins: ['https://ui.example.com'],
    });
    expect(() => parseAgentArgs(['--server', '--job-max-count=-1'])).toThrow(
      'Invalid --job-max-count "-1"',
    );
    expect(() => parseAgentArgs(['--server', '--job-max-count', '1e3'])).toThrow(
      'Invalid --job-max-count',
    );
    expect(() =>
      parseAgentArgs(['--server', '--allowed-origin', 'https://x.example/path']),
    ).toThrow('Invalid --allowed-origin');
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
  test('--dev is a server and a client', () => {
    expect(parseAgentArgs(['--dev'])).toMatchObject({ server: true, client: true, dev: true });
  });
  test('--client takes its servers, node options and its own port (default 4647)', () => {
    expect(
      parseAgentArgs([
        '--client',
        '--servers',
        '10.0.0.1:4646, http://10.0.0.2:4646',
        '--node-name',
        'web-1',
        '--datacenter',
        'eu1',
        '--meta',
        'rack=r1',
        '--meta',
        'tier=a=b',
      ]),
    ).toMatchObject({
      server: false,
      client: true,
      servers: ['http://10.0.0.1:4646', 'http://10.0.0.2:4646'],
      httpPort: 4647,
      nodeName: 'web-1',
      datacenter: 'eu1',
      meta: { rack: 'r1', tier: 'a=b' },
    });
  });
  test.each([
    [[], 'berth agent needs a mode: --dev, --server or --client'],
    [['--client'], '--client needs --servers ADDR'],
    [['--dev', '--server'], '--dev runs a server and a client: use it alone'],
    [['--server', '--http-port', 'abc'], 'Invalid --http-port "abc": expected a port number'],
    [['--server', '--http-port', '70000'], 'Invalid --http-port "70000": expected a port number'],
    [['--server', '--nope'], "Unknown option '--nope'"],
    [['--dev', '--meta', 'novalue'], 'Invalid --meta "novalue": expected KEY=VALUE'],
    [
      ['--client', '--servers', 'x:4646', '--acl'],
      '--acl turns ACLs on in a server: use it with --server or --dev',
    ],
    [
      ['--client', '--servers', 'x:4646', '--insecure'],
      '--insecure applies to a server: use it with --server or --dev',
    ],
    [
      ['--server', '--token', 'abc'],
      "--token is the node agent's token: use it with --client or --dev",
    ],
    [['--client', '--servers', 'x:4646', '--token', ' '], '--token needs a value'],
    [['--client', '--servers', 'x:4646', '--token'], "Option '--token <value>' argument missing"],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseAgentArgs(args)).toThrow(message);
  });
});

test('berth agent --server serves the API, logs its address and stops on SIGINT', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  try {
    const { child, line, output } = spawnBerth(
      ['agent', '--server', '--http-port', '0', '--data-dir', dataDir],
      /^berth server listening on (http:\/\/\S+) /,
    );
    const address = (await line)[1]!;
    const res = await fetch(`${address}/v1/allocations`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[]');
    child.kill('SIGINT');
    expect((await exited(child)).code).toBe(0);
    expect(output()).toContain('berth agent stopped');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('berth agent --server --bind 0.0.0.0 with ACLs off refuses to start and says what to do', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-open-'));
  try {
    const { child, output } = spawnBerth(
      ['agent', '--server', '--bind', '0.0.0.0', '--http-port', '0', '--data-dir', dataDir],
      /^berth server listening/,
    );
    expect((await exited(child)).code).toBe(1);
    expect(output()).toContain('berth: refusing to listen on 0.0.0.0 with ACLs off');
    expect(output()).toContain('Start the server with --acl');
    expect(output()).toContain('pass --insecure to accept an open server');
    // Refused before the state was opened.
    expect(existsSync(join(dataDir, 'state.db'))).toBe(false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('berth agent --server --bind 0.0.0.0 --insecure starts open, with a warning', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-insecure-'));
  try {
    const { child, line, output } = spawnBerth(
      [
        'agent',
        '--server',
        '--bind',
        '0.0.0.0',
        '--insecure',
        '--http-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      /^berth server listening on http:\/\/0\.0\.0\.0:(\d+) /,
    );
    const port = (await line)[1]!;
    expect(output()).toContain('berth: warning: listening on 0.0.0.0 with ACLs off (--insecure)');
    const res = await fetch(`http://127.0.0.1:${port}/v1/jobs`);
    expect(res.status).toBe(200);
    child.kill('SIGINT');
    expect((await exited(child)).code).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('berth agent --server --bind 0.0.0.0 --acl starts closed and bootstraps a management token', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-acl-'));
  try {
    const { child, line, output } = spawnBerth(
      [
        'agent',
        '--server',
        '--bind',
        '0.0.0.0',
        '--acl',
        '--http-port',
        '0',
        '--data-dir',
        dataDir,
      ],
      /^berth server listening on http:\/\/0\.0\.0\.0:(\d+) /,
    );
    const address = `http://127.0.0.1:${(await line)[1]!}`;
    expect(output()).not.toContain('warning');
    // No token, no anonymous policy: nothing is granted.
    const denied = await fetch(`${address}/v1/jobs`);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe('Permission denied');

    const boot = await fetch(`${address}/v1/acl/bootstrap`, { method: 'POST' });
    expect(boot.status).toBe(200);
    const token = (await boot.json()) as { Type: string; SecretID: string };
    expect(token.Type).toBe('management');
    const allowed = await fetch(`${address}/v1/jobs`, {
      headers: { 'X-Nomad-Token': token.SecretID },
    });
    expect(allowed.status).toBe(200);
    // Once only.
    const again = await fetch(`${address}/v1/acl/bootstrap`, { method: 'POST' });
    expect(again.status).toBe(400);
    child.kill('SIGINT');
    expect((await exited(child)).code).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('berth agent --dev --acl bootstraps, prints the management token, and its node registers (again after a restart)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-dev-acl-'));
  const start = () =>
    spawnBerth(
      ['agent', '--dev', '--acl', '--http-port', '0', '--data-dir', dataDir],
      /^berth node (\S+) ready/,
    );
  try {
    const first = start();
    const nodeID = (await first.line)[1]!;
    const address = /^berth server listening on (http:\/\/\S+) /m.exec(first.output())![1]!;
    // The hint comes after the node line: wait for it.
    await until(() =>
      Promise.resolve(/export NOMAD_TOKEN=\S+ +# ACLs are on/.test(first.output())),
    );
    const token = /export NOMAD_TOKEN=(\S+)/.exec(first.output())![1]!;
    const self = await fetch(`${address}/v1/acl/token/self`, {
      headers: { 'X-Nomad-Token': token },
    });
    expect(((await self.json()) as { Type: string }).Type).toBe('management');
    expect((await fetch(`${address}/v1/nodes`)).status).toBe(403);
    const nodes = await fetch(`${address}/v1/nodes`, { headers: { 'X-Nomad-Token': token } });
    expect(((await nodes.json()) as { ID: string }[]).map((n) => n.ID)).toEqual([nodeID]);
    first.child.kill('SIGINT');
    expect((await exited(first.child)).code).toBe(0);

    // Bootstrapped already: the node re-registers with its own secret, and the hint says so.
    const second = start();
    expect((await second.line)[1]).toBe(nodeID);
    await until(() =>
      Promise.resolve(second.output().includes('were bootstrapped in an earlier run')),
    );
    second.child.kill('SIGINT');
    expect((await exited(second.child)).code).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('berth agent --dev runs the example job as real processes and stops on SIGINT', async () => {
  const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-cli-dev-'));
  const { child, line, output } = spawnBerth(
    ['agent', '--dev', '--http-port', '0', '--data-dir', dataDir],
    /^berth node \S+ ready/,
    { detached: true },
  );
  try {
    await line;
    // The server says where it listens before the node says it is ready.
    const address = /^berth server listening on (http:\/\/\S+) /m.exec(output())![1]!;
    const job = readFileSync(join(repoRoot, 'examples/hello-service.json'), 'utf8');
    const put = await fetch(`${address}/v1/jobs`, { method: 'PUT', body: job });
    expect(put.status).toBe(200);
    const statuses = async () => {
      const res = await fetch(`${address}/v1/job/hello/allocations`);
      return ((await res.json()) as { ClientStatus: string }[]).map((a) => a.ClientStatus);
    };
    await until(async () => (await statuses()).filter((s) => s === 'running').length === 2);
    // Stop the job so no task outlives the test (an agent that stops leaves its tasks running).
    await fetch(`${address}/v1/job/hello`, { method: 'DELETE' });
    await until(async () => (await statuses()).every((s) => s === 'complete'));
    child.kill('SIGINT');
    expect((await exited(child)).code).toBe(0);
    expect(output()).toContain('berth agent stopped');
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already stopped
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Polls until `done` holds (gives up after 10 s). */
async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
