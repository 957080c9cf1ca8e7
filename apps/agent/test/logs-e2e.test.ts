// Logs and files of a real task, read through the agent's own address and through the server's
// (which forwards to the agent): rotation by LogConfig with every line seen once, plain and framed
// answers, `origin=end`, following across rotations, and no way out of the allocation directory.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, waitFor, type Cluster } from './support/cluster.js';

const LINES = 36_000;
/** Each line is 100 bytes: 3.6 MB, so 1 MB files rotate three times. */
const lineOf = (i: number) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(87)}\n`;
const EXPECTED = Array.from({ length: LINES }, (_, i) => lineOf(i)).join('');

// Writes in bursts with pauses (so a follower reads while files rotate), a data file, and a
// symlink out of the allocation; then exits.
const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
fs.writeFileSync(path.join(process.env.NOMAD_ALLOC_DIR, 'data.txt'), '0123456789abcdef');
fs.symlinkSync('/etc', path.join(process.env.NOMAD_TASK_DIR, 'escape'));
const line = (i) => 'line ' + String(i).padStart(6, '0') + ' ' + 'x'.repeat(87) + '\\n';
let i = 0;
function burst() {
  let chunk = '';
  for (let n = 0; n < 1500 && i < ${LINES}; n++) chunk += line(i++);
  process.stdout.write(chunk, () => {
    if (i < ${LINES}) setTimeout(burst, 40);
    else process.stderr.write('done\\n', () => setTimeout(() => process.exit(0), 1500));
  });
}
setTimeout(burst, 1500);
`;

let c: Cluster;
let alloc: Allocation;
let agentAddr: string;
let logDir: string;
let followed: Promise<string>;

/** Frames `{Offset, Data, File, FileEvent}` one after another; the data joined. */
function framesData(text: string): { data: string; frames: number } {
  let data = '';
  let frames = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const frame = JSON.parse(line) as { Data?: string };
    frames += 1;
    if (frame.Data) data += Buffer.from(frame.Data, 'base64').toString();
  }
  return { data, frames };
}

async function get(base: string, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(base + path);
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  c = await startCluster({});
  const agent = await c.startAgent('n1');
  agentAddr = `http://${agent.httpAddr}`;
  await c.api('PUT', '/v1/jobs', {
    Job: {
      ID: 'logs',
      Name: 'logs',
      Type: 'batch',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'app',
          Count: 1,
          RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
          Tasks: [
            {
              Name: 'writer',
              Driver: 'raw_exec',
              Config: { command: process.execPath, args: ['-e', SCRIPT] },
              Resources: { CPU: 10, MemoryMB: 10 },
              LogConfig: { MaxFiles: 10, MaxFileSizeMB: 1 },
            },
          ],
        },
      ],
    },
  });
  alloc = (
    await waitFor(
      () => c.allocsOf('logs'),
      (allocs) => allocs.length === 1 && allocs[0]!.ClientStatus === 'running',
      30_000,
    )
  )[0]!;
  logDir = join(c.root, 'n1', 'alloc', alloc.ID, 'alloc', 'logs');
  // Followed from the start through the server, before the task has written anything.
  await waitFor(
    () => readdirSync(logDir),
    (names) => names.includes('writer.stdout.0'),
  );
  followed = fetch(
    `${c.server.address}/v1/client/fs/logs/${alloc.ID}?task=writer&type=stdout&follow=true`,
  ).then((res) => res.text());
  await waitFor(
    () => c.allocsOf('logs'),
    (allocs) => allocs[0]!.ClientStatus === 'complete',
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await c?.close();
});

describe('task logs', () => {
  it('rotate by LogConfig, each file at most MaxFileSizeMB', () => {
    const files = readdirSync(logDir).filter((n) => n.startsWith('writer.stdout.'));
    expect(files.sort()).toEqual([
      'writer.stdout.0',
      'writer.stdout.1',
      'writer.stdout.2',
      'writer.stdout.3',
    ]);
  });

  it('followed across the rotations, every line once, in order; the follow ends with the task', async () => {
    const { data } = framesData(await followed);
    expect(data.length).toBe(EXPECTED.length);
    expect(data === EXPECTED).toBe(true);
  });

  it('plain, from the agent and from the server', async () => {
    for (const base of [agentAddr, c.server.address]) {
      const res = await fetch(
        `${base}/v1/client/fs/logs/${alloc.ID}?task=writer&type=stdout&plain=true`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text === EXPECTED).toBe(true);
    }
    const err = await get(
      agentAddr,
      `/v1/client/fs/logs/${alloc.ID}?task=writer&type=stderr&plain=true`,
    );
    expect(err).toEqual({ status: 200, text: 'done\n' });
  });

  it('framed, with origin=end and an offset reaching back into an older file', async () => {
    const back = 1_048_576 + 250;
    for (const base of [agentAddr, c.server.address]) {
      const res = await get(
        base,
        `/v1/client/fs/logs/${alloc.ID}?task=writer&type=stdout&origin=end&offset=${back}`,
      );
      expect(res.status).toBe(200);
      const { data, frames } = framesData(res.text);
      expect(data === EXPECTED.slice(EXPECTED.length - back)).toBe(true);
      expect(frames).toBeGreaterThan(1);
    }
  });

  it("answers Nomad's texts for bad queries and unknown tasks", async () => {
    const base = `/v1/client/fs/logs/${alloc.ID}`;
    for (const addr of [agentAddr, c.server.address]) {
      expect(await get(addr, `${base}?type=stdout`)).toEqual({
        status: 400,
        text: 'must provide task name',
      });
      expect(await get(addr, `${base}?task=writer&type=x`)).toEqual({
        status: 400,
        text: 'must provide log type (stdout/stderr)',
      });
      expect(await get(addr, `${base}?task=writer&type=stdout&origin=middle`)).toEqual({
        status: 400,
        text: 'origin must be start or end',
      });
      expect(await get(addr, `${base}?task=nope&type=stdout`)).toEqual({
        status: 400,
        text: 'unknown task name "nope"',
      });
    }
    expect(await get(agentAddr, `/v1/client/fs/logs/nope?task=writer&type=stdout`)).toEqual({
      status: 404,
      text: 'Unknown allocation "nope"',
    });
  });
});

describe('the allocation directory', () => {
  it('lists, stats, cats and reads at an offset, from the agent and from the server', async () => {
    for (const base of [agentAddr, c.server.address]) {
      const ls = await get(base, `/v1/client/fs/ls/${alloc.ID}?path=/`);
      expect(ls.status).toBe(200);
      const names = (JSON.parse(ls.text) as { Name: string; IsDir: boolean }[]).map(
        (f) => `${f.Name}:${f.IsDir}`,
      );
      expect(names).toEqual(['alloc:true', 'writer:true']);
      const stat = await get(base, `/v1/client/fs/stat/${alloc.ID}?path=alloc/data.txt`);
      expect(JSON.parse(stat.text)).toMatchObject({ Name: 'data.txt', IsDir: false, Size: 16 });
      expect(await get(base, `/v1/client/fs/cat/${alloc.ID}?path=alloc/data.txt`)).toEqual({
        status: 200,
        text: '0123456789abcdef',
      });
      expect(
        await get(base, `/v1/client/fs/readat/${alloc.ID}?path=alloc/data.txt&offset=4&limit=5`),
      ).toEqual({ status: 200, text: '45678' });
      const stream = await get(
        base,
        `/v1/client/fs/stream/${alloc.ID}?path=alloc/data.txt&follow=false&origin=end&offset=3`,
      );
      expect(framesData(stream.text).data).toBe('def');
    }
  });

  it('refuses paths out of it: .., a symlink; an absolute path stays inside', async () => {
    for (const base of [agentAddr, c.server.address]) {
      const escapes = { status: 400, text: 'Path escapes the alloc directory' };
      expect(await get(base, `/v1/client/fs/ls/${alloc.ID}?path=../..`)).toEqual(escapes);
      expect(await get(base, `/v1/client/fs/cat/${alloc.ID}?path=/alloc/../../x`)).toEqual(escapes);
      expect(
        await get(base, `/v1/client/fs/cat/${alloc.ID}?path=writer/local/escape/passwd`),
      ).toEqual(escapes);
      expect(await get(base, `/v1/client/fs/ls/${alloc.ID}?path=writer/local/escape`)).toEqual(
        escapes,
      );
      const absolute = await get(base, `/v1/client/fs/cat/${alloc.ID}?path=/etc/passwd`);
      expect(absolute.status).toBe(404);
    }
  });
});

describe('with ACLs on', () => {
  let a: Cluster;
  let id: string;
  let agentBase: string;
  let secretID: string;
  const tokens: Record<string, string> = {};

  /** Calls the server's API as the operator. */
  const asOperator = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(a.server.address + path, {
      method,
      headers: { 'X-Nomad-Token': tokens.management! },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };

  beforeAll(async () => {
    a = await startCluster({}, { acl: true });
    const boot = await fetch(`${a.server.address}/v1/acl/bootstrap`, { method: 'POST' });
    tokens.management = ((await boot.json()) as { SecretID: string }).SecretID;
    for (const cap of ['read-logs', 'read-fs']) {
      await asOperator('POST', `/v1/acl/policy/${cap}`, {
        Name: cap,
        Rules: `namespace "default" { capabilities = ["${cap}"] }`,
      });
      tokens[cap] = (
        await asOperator<{ SecretID: string }>('POST', '/v1/acl/token', {
          Name: cap,
          Type: 'client',
          Policies: [cap],
        })
      ).SecretID;
    }
    const agent = await a.startAgent('n1', { token: tokens.management, aclTokenTtlMs: 0 });
    agentBase = `http://${agent.httpAddr}`;
    secretID = agent.secretID;
    await asOperator('PUT', '/v1/jobs', {
      Job: {
        ID: 'hello',
        Name: 'hello',
        Type: 'batch',
        Datacenters: ['dc1'],
        TaskGroups: [
          {
            Name: 'app',
            Count: 1,
            RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
            Tasks: [
              {
                Name: 'hello',
                Driver: 'raw_exec',
                Config: { command: process.execPath, args: ['-e', 'console.log("hi")'] },
                Resources: { CPU: 10, MemoryMB: 10 },
              },
            ],
          },
        ],
      },
    });
    const allocs = await waitFor(
      () => asOperator<Allocation[]>('GET', '/v1/job/hello/allocations'),
      (list) => list.length === 1 && list[0]!.ClientStatus === 'complete',
      30_000,
    );
    id = allocs[0]!.ID;
  }, 60_000);

  afterAll(async () => {
    await a?.close();
  });

  const call = async (base: string, path: string, secret: string) => {
    const res = await fetch(base + path, { headers: { 'X-Nomad-Token': secret } });
    return [res.status, await res.text()] as const;
  };

  it('logs need read-logs and the rest read-fs in the namespace, on the agent and the server', async () => {
    const logs = `/v1/client/fs/logs/${id}?task=hello&type=stdout&plain=true`;
    const cat = `/v1/client/fs/cat/${id}?path=alloc/logs/hello.stdout.0`;
    const denied = [403, 'Permission denied'];
    for (const base of [agentBase, a.server.address]) {
      expect(await call(base, logs, tokens['read-logs']!)).toEqual([200, 'hi\n']);
      expect(await call(base, cat, tokens['read-logs']!)).toEqual(denied);
      expect(await call(base, cat, tokens['read-fs']!)).toEqual([200, 'hi\n']);
      expect(await call(base, logs, tokens['read-fs']!)).toEqual(denied);
      expect(await call(base, logs, 'not-a-token')).toEqual(denied);
      expect(await call(base, logs, '')).toEqual(denied);
    }
    // The servers forward with the node's secret, which the agent accepts.
    expect(await call(agentBase, logs, secretID)).toEqual([200, 'hi\n']);
  });
});
