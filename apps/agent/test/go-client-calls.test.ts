// Nomad's Go api client's calls for logs, files and stats, sent byte for byte as it sends them
// (api/api.go, api/fs.go, api/allocations.go, api/nodes.go) and read as it reads them, against a
// real agent with ACLs on. The node is found as `GetNodeClient` finds it (`GET /v1/node/:id`, its
// HTTPAddr, `region=global`); the agent answers, and only a network error would send the Go client
// to the server. JSON is decoded into the Go structs' fields with encoding/json's kind rules, and
// streams with a decoder of concatenated JSON objects, heartbeats skipped, `Data` base64.
import { request, type IncomingMessage } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../src/agent.js';
import { startCluster, waitFor, type Cluster } from './support/cluster.js';

// ---- The Go client's request: url.Values.Encode, headers, requireOK, autoUnzip ----

/** Go's url.QueryEscape: everything but [A-Za-z0-9-_.~] as %XX, space as `+`. */
function goQueryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's url.Values.Encode: keys sorted. */
function encodeValues(params: Map<string, string>): string {
  return [...params.keys()]
    .sort()
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(params.get(k)!)}`)
    .join('&');
}

/** An `api.Client`: its address, its config region (a node client's is `global`) and token. */
interface GoClient {
  address: string;
  region: string;
  token: string;
}

/** A network failure (Go's net.Error), as opposed to an answer. */
class NetError extends Error {}

/**
 * `rawQuery`: newRequest (config region, the endpoint's own query), setQueryOptions (`Params`),
 * toHTTP (Accept-Encoding gzip, X-Nomad-Token), requireOK, autoUnzip. The body, unread.
 */
function rawQuery(
  client: GoClient,
  endpoint: string,
  params: Record<string, string>,
): Promise<{ res: IncomingMessage; body: Readable }> {
  const [path, query] = endpoint.split('?', 2) as [string, string | undefined];
  const values = new Map<string, string>();
  if (client.region !== '') values.set('region', client.region);
  for (const [k, v] of new URLSearchParams(query ?? '')) values.set(k, v);
  for (const [k, v] of Object.entries(params)) values.set(k, v);
  const encoded = encodeValues(values);
  const url = new URL(client.address);
  const headers: Record<string, string> = {
    'User-Agent': 'Go-http-client/1.1',
    'Accept-Encoding': 'gzip',
  };
  if (client.token !== '') headers['X-Nomad-Token'] = client.token;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'GET',
        path: encoded === '' ? path : `${path}?${encoded}`,
        headers,
      },
      (res) => {
        const body: Readable =
          res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
        if (res.statusCode !== 200) {
          let text = '';
          body.setEncoding('utf8');
          body.on('data', (chunk: string) => (text += chunk));
          body.on('end', () =>
            reject(new Error(`Unexpected response code: ${res.statusCode} (${text.trim()})`)),
          );
          body.on('error', reject);
          return;
        }
        resolve({ res, body });
      },
    );
    req.on('error', (error) => reject(new NetError(`${client.address}: ${error.message}`)));
    req.end();
  });
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `query`: rawQuery, then decodeBody (a 0-byte body refused) into `type`. */
async function query<T>(
  client: GoClient,
  endpoint: string,
  params: Record<string, string>,
  type: GoType,
): Promise<T> {
  const { res, body } = await rawQuery(client, endpoint, params);
  const text = (await readAll(body)).toString('utf8');
  if (res.headers['content-length'] === '0') {
    throw new Error('Got 0 byte response with non-nil decode object');
  }
  return goDecode(JSON.parse(text), type, undefined) as T;
}

// ---- encoding/json into the Go structs the client reads ----

type GoType =
  | 'string'
  | 'bool'
  | 'int64'
  | 'uint64'
  | 'float64'
  | 'time.Time'
  | '[]byte'
  | { slice: GoType }
  | { map: GoType }
  | { struct: string; fields: Record<string, GoType> };

const typeName = (t: GoType): string =>
  typeof t === 'string'
    ? t
    : 'slice' in t
      ? `[]${typeName(t.slice)}`
      : 'map' in t
        ? `map[string]${typeName(t.map)}`
        : `api.${t.struct}`;

const jsonKind = (v: unknown) =>
  Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v;

/** Where a value sits, as Go's errors name it: `Struct.Field` or nothing at the top. */
type Ctx = { struct: string; field: string } | undefined;

function mismatch(what: string, t: GoType, ctx: Ctx): Error {
  const type = typeName(t);
  return new Error(
    ctx
      ? `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.field} of type ${type}`
      : `json: cannot unmarshal ${what} into Go value of type ${type}`,
  );
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A JSON value decoded as encoding/json decodes it into `t` (`null` leaves the zero value). */
function goDecode(v: unknown, t: GoType, ctx: Ctx): unknown {
  if (v === null) return undefined;
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        if (typeof v !== 'string') throw mismatch(jsonKind(v), t, ctx);
        return v;
      case 'bool':
        if (typeof v !== 'boolean') throw mismatch(jsonKind(v), t, ctx);
        return v;
      case 'float64':
        if (typeof v !== 'number') throw mismatch(jsonKind(v), t, ctx);
        return v;
      case 'int64':
      case 'uint64': {
        if (typeof v !== 'number') throw mismatch(jsonKind(v), t, ctx);
        const ok =
          Number.isInteger(v) && (t === 'int64' ? Math.abs(v) <= 2 ** 63 : v >= 0 && v <= 2 ** 64);
        if (!ok) throw mismatch(`number ${v}`, t, ctx);
        return v;
      }
      case 'time.Time':
        if (typeof v !== 'string')
          throw new Error('Time.UnmarshalJSON: input is not a JSON string');
        if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) {
          throw new Error(`parsing time ${JSON.stringify(v)} as RFC 3339`);
        }
        return new Date(v);
      case '[]byte':
        if (typeof v !== 'string') throw mismatch(jsonKind(v), t, ctx);
        if (v.length % 4 !== 0 || !BASE64.test(v)) throw new Error('illegal base64 data');
        return Buffer.from(v, 'base64');
    }
  }
  if ('slice' in t) {
    if (!Array.isArray(v)) throw mismatch(jsonKind(v), t, ctx);
    return v.map((e) => goDecode(e, t.slice, ctx));
  }
  if ('map' in t) {
    if (typeof v !== 'object' || Array.isArray(v)) throw mismatch(jsonKind(v), t, ctx);
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, goDecode(e, t.map, ctx)]));
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw mismatch(jsonKind(v), t, ctx);
  // Keys match fields exactly, else case-insensitively; unknown keys are ignored.
  const out: Record<string, unknown> = {};
  const names = Object.keys(t.fields);
  for (const [key, value] of Object.entries(v)) {
    const name =
      names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    out[name] = goDecode(value, t.fields[name]!, { struct: t.struct, field: name });
  }
  return out;
}

const Node: GoType = {
  struct: 'Node',
  fields: {
    ID: 'string',
    Name: 'string',
    HTTPAddr: 'string',
    TLSEnabled: 'bool',
    Status: 'string',
  },
};
const AllocFileInfo: GoType = {
  struct: 'AllocFileInfo',
  fields: {
    Name: 'string',
    IsDir: 'bool',
    Size: 'int64',
    FileMode: 'string',
    ModTime: 'time.Time',
    ContentType: 'string',
  },
};
const StreamFrame: GoType = {
  struct: 'StreamFrame',
  fields: { Offset: 'int64', Data: '[]byte', File: 'string', FileEvent: 'string' },
};
const MemoryStats: GoType = {
  struct: 'MemoryStats',
  fields: {
    ...{ RSS: 'uint64', Cache: 'uint64', Swap: 'uint64', Usage: 'uint64', MaxUsage: 'uint64' },
    ...{ KernelUsage: 'uint64', KernelMaxUsage: 'uint64', Measured: { slice: 'string' } },
  },
};
const CpuStats: GoType = {
  struct: 'CpuStats',
  fields: {
    ...{ SystemMode: 'float64', UserMode: 'float64', TotalTicks: 'float64' },
    ...{ ThrottledPeriods: 'uint64', ThrottledTime: 'uint64', Percent: 'float64' },
    Measured: { slice: 'string' },
  },
};
const DeviceGroupStats: GoType = {
  struct: 'DeviceGroupStats',
  fields: { Vendor: 'string', Type: 'string', Name: 'string' },
};
const ResourceUsage: GoType = {
  struct: 'ResourceUsage',
  fields: { MemoryStats, CpuStats, DeviceStats: { slice: DeviceGroupStats } },
};
const AllocResourceUsage: GoType = {
  struct: 'AllocResourceUsage',
  fields: {
    ResourceUsage,
    Tasks: {
      map: {
        struct: 'TaskResourceUsage',
        fields: { ResourceUsage, Timestamp: 'int64', Pids: { map: ResourceUsage } },
      },
    },
    Timestamp: 'int64',
  },
};
const HostDiskStats: GoType = {
  struct: 'HostDiskStats',
  fields: {
    ...{ Device: 'string', Mountpoint: 'string', Size: 'uint64', Used: 'uint64' },
    ...{ Available: 'uint64', UsedPercent: 'float64', InodesUsedPercent: 'float64' },
  },
};
const HostStats: GoType = {
  struct: 'HostStats',
  fields: {
    Memory: {
      struct: 'HostMemoryStats',
      fields: { Total: 'uint64', Available: 'uint64', Used: 'uint64', Free: 'uint64' },
    },
    CPU: {
      slice: {
        struct: 'HostCPUStats',
        fields: { CPU: 'string', User: 'float64', System: 'float64', Idle: 'float64' },
      },
    },
    DiskStats: { slice: HostDiskStats },
    AllocDirStats: HostDiskStats,
    DeviceStats: { slice: DeviceGroupStats },
    Uptime: 'uint64',
    CPUTicksConsumed: 'float64',
  },
};

interface FileInfo {
  Name?: string;
  IsDir?: boolean;
  Size?: number;
  FileMode?: string;
  ModTime?: Date;
}
interface Frame {
  Offset?: number;
  Data?: Buffer;
  File?: string;
  FileEvent?: string;
}

// ---- json.Decoder over a stream of frames ----

/**
 * `dec.Decode(&frame)` in a loop: whitespace-separated JSON values, each an object decoded into
 * StreamFrame; heartbeats (all fields zero) skipped. Ends at EOF between values.
 */
async function* frames(body: Readable): AsyncGenerator<Frame> {
  let pending = Buffer.alloc(0);
  for await (const chunk of body) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let start = 0;
    for (;;) {
      while (start < pending.length && /\s/.test(String.fromCharCode(pending[start]!))) start++;
      if (start >= pending.length) break;
      const end = objectEnd(pending, start);
      if (end < 0) break;
      const frame = goDecode(
        JSON.parse(pending.subarray(start, end).toString('utf8')),
        StreamFrame,
        undefined,
      ) as Frame;
      start = end;
      const heartbeat = !frame.Data?.length && !frame.FileEvent && !frame.File && !frame.Offset;
      if (!heartbeat) yield frame;
    }
    pending = pending.subarray(start);
  }
  if (pending.toString('utf8').trim() !== '') throw new Error('unexpected EOF');
}

/** The end of the JSON object starting at `start`, or -1 when it is not complete yet. */
function objectEnd(buf: Buffer, start: number): number {
  if (buf[start] !== 0x7b) {
    throw new Error(
      `json: cannot unmarshal non-object into Go value of type api.StreamFrame: ${buf.subarray(start, start + 20).toString()}`,
    );
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < buf.length; i++) {
    const b = buf[i]!;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

// ---- GetNodeClient and queryClientNode ----

/** `getNodeClientImpl`: the node looked up on the servers; its HTTPAddr, region `global`. */
async function nodeClient(server: GoClient, nodeID: string): Promise<GoClient> {
  const node = await query<{ HTTPAddr?: string; Status?: string; TLSEnabled?: boolean }>(
    server,
    `/v1/node/${nodeID}`,
    {},
    Node,
  );
  if (node.Status === 'down') throw new Error('node down');
  if (!node.HTTPAddr) throw new Error('http addr of node is not advertised');
  const scheme = node.TLSEnabled ? 'https' : 'http';
  return {
    address: `${scheme}://${node.HTTPAddr}`,
    region: server.region || 'global',
    token: server.token,
  };
}

/**
 * `queryClientNode`: the node's address first; only a network error falls back to the servers.
 * Which one answered comes back with the body.
 */
async function queryClientNode(
  server: GoClient,
  nodeID: string,
  endpoint: string,
  params: Record<string, string>,
): Promise<{ body: Readable; from: string }> {
  const node = await nodeClient(server, nodeID).catch(() => undefined);
  if (node) {
    try {
      return { body: (await rawQuery(node, endpoint, params)).body, from: node.address };
    } catch (error) {
      if (!(error instanceof NetError)) throw error;
    }
  }
  return { body: (await rawQuery(server, endpoint, params)).body, from: server.address };
}

// ---- The cluster ----

/** The task: its pid written down, a data file, five lines, a sixth once `trigger` exists. */
const TASK = `
const fs = require('fs');
const path = require('path');
const [trigger, pids] = process.argv.slice(1);
fs.appendFileSync(pids, process.pid + '\\n');
fs.writeFileSync(path.join(process.env.NOMAD_ALLOC_DIR, 'data.txt'), '0123456789abcdef');
for (let i = 0; i < 5; i++) console.log('early ' + i);
let said = false;
setInterval(() => {
  if (said || !fs.existsSync(trigger)) return;
  said = true;
  console.log('triggered');
}, 100);
`;
const EARLY = [0, 1, 2, 3, 4].map((i) => `early ${i}\n`).join('');
const ALL = `${EARLY}triggered\n`;

let cluster: Cluster;
let agent: RunningAgent;
let management: string;
let allocID: string;
let trigger: string;
let server: GoClient;
let limited: GoClient;

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(cluster.server.address + path, {
    method,
    headers: { 'X-Nomad-Token': management },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

async function tokenFor(name: string, rules: string): Promise<string> {
  await api('POST', `/v1/acl/policy/${name}`, { Name: name, Rules: rules });
  const token = (await api('POST', '/v1/acl/token', {
    Name: name,
    Type: 'client',
    Policies: [name],
  })) as { SecretID: string };
  return token.SecretID;
}

/** `AllocFS.Logs`: the frames' data joined, and who answered. Follow stops at `until`. */
async function logs(
  client: GoClient,
  opts: { follow: boolean; origin: 'start' | 'end'; offset: number; until?: string },
): Promise<{ data: string; from: string; frames: Frame[] }> {
  const { body, from } = await queryClientNode(
    client,
    agent.nodeID,
    `/v1/client/fs/logs/${allocID}`,
    {
      follow: String(opts.follow),
      task: 'printer',
      type: 'stdout',
      origin: opts.origin,
      offset: String(opts.offset),
    },
  );
  let data = '';
  const got: Frame[] = [];
  for await (const frame of frames(body)) {
    got.push(frame);
    data += frame.Data?.toString('utf8') ?? '';
    if (opts.until !== undefined && data.includes(opts.until)) {
      body.destroy(); // the cancel channel closed
      break;
    }
  }
  return { data, from, frames: got };
}

beforeAll(async () => {
  cluster = await startCluster({}, { acl: true });
  const boot = (await (
    await fetch(`${cluster.server.address}/v1/acl/bootstrap`, { method: 'POST' })
  ).json()) as { SecretID: string };
  management = boot.SecretID;
  agent = await cluster.startAgent('n1', { token: management });
  const user = await tokenFor(
    'user',
    'namespace "default" { capabilities = ["read-logs", "read-fs", "read-job"] }\nnode { policy = "read" }',
  );
  const other = await tokenFor(
    'other',
    'namespace "default" { capabilities = ["alloc-lifecycle"] }\nnode { policy = "read" }',
  );
  server = { address: cluster.server.address, region: '', token: user };
  limited = { address: cluster.server.address, region: '', token: other };

  trigger = join(cluster.root, 'trigger');
  await api('PUT', '/v1/jobs', {
    Job: {
      ID: 'printer',
      Name: 'printer',
      Type: 'service',
      Datacenters: ['dc1'],
      TaskGroups: [
        {
          Name: 'app',
          Count: 1,
          RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
          Tasks: [
            {
              Name: 'printer',
              Driver: 'raw_exec',
              Config: {
                command: process.execPath,
                args: ['-e', TASK, trigger, join(cluster.root, 'printer-pids')],
              },
              Resources: { CPU: 10, MemoryMB: 32 },
              KillTimeout: 2e9,
            },
          ],
        },
      ],
    },
  });
  const allocs = await waitFor(
    async () =>
      (await api('GET', '/v1/job/printer/allocations')) as { ID: string; ClientStatus: string }[],
    (list) => list.some((a) => a.ClientStatus === 'running'),
    30_000,
  );
  allocID = allocs.find((a) => a.ClientStatus === 'running')!.ID;
  // The five lines written before anything reads them.
  await waitFor(
    // Until the task has started writing, the agent answers 404 for a log not yet there.
    () =>
      logs(server, { follow: false, origin: 'start', offset: 0 }).catch((error: unknown) => {
        if (String(error).includes('Unexpected response code: 404')) return { data: '' };
        throw error;
      }),
    (r) => r.data === EARLY,
    20_000,
  );
}, 90_000);

afterAll(async () => {
  await cluster?.close();
});

describe("Nomad's Go client against the agent's address", () => {
  it('finds the node client at the HTTPAddr GET /v1/node/:id advertises', async () => {
    const node = await nodeClient(server, agent.nodeID);
    expect(node).toEqual({
      address: `http://${agent.httpAddr}`,
      region: 'global',
      token: server.token,
    });
  });

  it('Logs: stdout from the start without follow, answered by the agent', async () => {
    const got = await logs(server, { follow: false, origin: 'start', offset: 0 });
    expect(got.from).toBe(`http://${agent.httpAddr}`);
    expect(got.data).toBe(EARLY);
    expect(got.frames[0]?.File).toBeTruthy();
  });

  it('Logs: follow reads a line written after it started, then is cancelled', async () => {
    const followed = logs(server, {
      follow: true,
      origin: 'start',
      offset: 0,
      until: 'triggered\n',
    });
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(trigger, '');
    const got = await followed;
    expect(got.from).toBe(`http://${agent.httpAddr}`);
    expect(got.data).toBe(ALL);
  });

  it('Logs: origin=end with an offset reads the last bytes, from the agent and the server', async () => {
    const agentAnswer = await logs(server, { follow: false, origin: 'end', offset: 14 });
    expect(agentAnswer.from).toBe(`http://${agent.httpAddr}`);
    expect(agentAnswer.data).toBe(ALL.slice(-14));
    const direct = await rawQuery(server, `/v1/client/fs/logs/${allocID}`, {
      follow: 'false',
      task: 'printer',
      type: 'stdout',
      origin: 'end',
      offset: '14',
    });
    let data = '';
    for await (const frame of frames(direct.body)) data += frame.Data?.toString('utf8') ?? '';
    expect(data).toBe(ALL.slice(-14));
  });

  it('List `/` and Stat `alloc/logs` decode into AllocFileInfo, at the agent and the server', async () => {
    const node = await nodeClient(server, agent.nodeID);
    for (const client of [node, server]) {
      const list = await query<FileInfo[]>(
        client,
        `/v1/client/fs/ls/${allocID}`,
        { path: '/' },
        {
          slice: AllocFileInfo,
        },
      );
      expect(list.map((f) => [f.Name, f.IsDir])).toEqual([
        ['alloc', true],
        ['printer', true],
      ]);
      for (const f of list) {
        expect(f.FileMode).toMatch(/^d/);
        expect(f.ModTime!.getTime()).toBeGreaterThan(Date.now() - 600_000);
      }
      const stat = await query<FileInfo>(
        client,
        `/v1/client/fs/stat/${allocID}`,
        { path: 'alloc/logs' },
        AllocFileInfo,
      );
      expect(stat).toMatchObject({ Name: 'logs', IsDir: true });
      expect(stat.FileMode).toMatch(/^d/);
      const data = await query<FileInfo>(
        client,
        `/v1/client/fs/stat/${allocID}`,
        { path: 'alloc/data.txt' },
        AllocFileInfo,
      );
      expect(data).toMatchObject({ Name: 'data.txt', IsDir: false, Size: 16 });
    }
  });

  it('ReadAt, Cat and Stream are answered by the agent', async () => {
    const readAt = await queryClientNode(server, agent.nodeID, `/v1/client/fs/readat/${allocID}`, {
      path: 'alloc/data.txt',
      offset: '4',
      limit: '5',
    });
    expect(readAt.from).toBe(`http://${agent.httpAddr}`);
    expect((await readAll(readAt.body)).toString()).toBe('45678');

    const cat = await queryClientNode(server, agent.nodeID, `/v1/client/fs/cat/${allocID}`, {
      path: 'alloc/data.txt',
    });
    expect(cat.from).toBe(`http://${agent.httpAddr}`);
    expect((await readAll(cat.body)).toString()).toBe('0123456789abcdef');

    // Stream sets no `follow`: the agent follows, so the caller cancels once it has the data.
    const stream = await queryClientNode(server, agent.nodeID, `/v1/client/fs/stream/${allocID}`, {
      path: 'alloc/data.txt',
      offset: '3',
      origin: 'start',
    });
    expect(stream.from).toBe(`http://${agent.httpAddr}`);
    let data = '';
    for await (const frame of frames(stream.body)) {
      data += frame.Data?.toString('utf8') ?? '';
      if (data.length >= 13) {
        stream.body.destroy();
        break;
      }
    }
    expect(data).toBe('3456789abcdef');
  });

  it('Allocations.Stats and Nodes.Stats decode into the Go structs, at the agent and the server', async () => {
    const node = await nodeClient(server, agent.nodeID);
    for (const client of [node, server]) {
      const stats = await query<{
        Tasks?: Record<string, { ResourceUsage?: { MemoryStats?: { RSS?: number } } }>;
        Timestamp?: number;
      }>(client, `/v1/client/allocation/${allocID}/stats`, {}, AllocResourceUsage);
      expect(stats.Tasks?.printer?.ResourceUsage?.MemoryStats?.RSS).toBeGreaterThan(0);
      expect(stats.Timestamp).toBeGreaterThan(0);

      const host = await query<{ Memory?: { Total?: number }; CPU?: unknown[]; Uptime?: number }>(
        client,
        `/v1/client/stats?node_id=${agent.nodeID}`,
        {},
        HostStats,
      );
      expect(host.Memory?.Total).toBe(totalmem());
      expect(host.CPU).toHaveLength(cpus().length);
      expect(host.Uptime).toBeGreaterThan(0);
    }
  });

  it('a token without the capability gets 403 from the agent, which the Go client does not retry', async () => {
    const node = await nodeClient(limited, agent.nodeID);
    expect(node.address).toBe(`http://${agent.httpAddr}`);
    const denied = 'Unexpected response code: 403 (Permission denied)';
    const logsCall = queryClientNode(limited, agent.nodeID, `/v1/client/fs/logs/${allocID}`, {
      follow: 'false',
      task: 'printer',
      type: 'stdout',
      origin: 'start',
      offset: '0',
    });
    await expect(logsCall).rejects.toThrow(denied);
    await expect(
      queryClientNode(limited, agent.nodeID, `/v1/client/fs/cat/${allocID}`, {
        path: 'alloc/data.txt',
      }),
    ).rejects.toThrow(denied);
    await expect(
      query(node, `/v1/client/fs/ls/${allocID}`, { path: '/' }, { slice: AllocFileInfo }),
    ).rejects.toThrow(denied);
    await expect(
      query(node, `/v1/client/allocation/${allocID}/stats`, {}, AllocResourceUsage),
    ).rejects.toThrow(denied);
  });
});

describe('the model of the Go decoding itself', () => {
  it("refuses what encoding/json refuses, with Go's text", () => {
    expect(() => goDecode({ Size: '16' }, AllocFileInfo, undefined)).toThrow(
      'json: cannot unmarshal string into Go struct field AllocFileInfo.Size of type int64',
    );
    expect(() => goDecode({ Size: 1.5 }, AllocFileInfo, undefined)).toThrow(
      'json: cannot unmarshal number 1.5 into Go struct field AllocFileInfo.Size of type int64',
    );
    expect(() => goDecode({ ModTime: 0 }, AllocFileInfo, undefined)).toThrow(
      'Time.UnmarshalJSON: input is not a JSON string',
    );
    expect(() => goDecode([], HostStats, undefined)).toThrow(
      'json: cannot unmarshal array into Go value of type api.HostStats',
    );
    // Keys match case-insensitively; unknown keys and nulls are ignored.
    expect(goDecode({ name: 'a', isdir: null, Other: 1 }, AllocFileInfo, undefined)).toEqual({
      Name: 'a',
      IsDir: undefined,
    });
  });

  it('reads concatenated frames, skipping heartbeats; a cut frame is an error', async () => {
    const body = Readable.from([
      Buffer.from('{}\n{"Offset":3,"Da'),
      Buffer.from('ta":"YWJj"}{"Data":"ZA=="}\n'),
    ]);
    const got: string[] = [];
    for await (const frame of frames(body)) got.push(frame.Data!.toString());
    expect(got).toEqual(['abc', 'd']);
    const cut = frames(Readable.from([Buffer.from('{"Offset":3,"Data":"YW')]));
    await expect(cut.next()).rejects.toThrow('unexpected EOF');
  });
});
