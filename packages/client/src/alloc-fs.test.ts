// The file system calls against a loopback HTTP listener answering as a node does: frames one per
// line, sent over time (so an iterator must yield before the answer ends), heartbeats, refusals.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BerthApiError, createClient } from './index.js';

const ALLOC = '5456bd7a-9fc0-c0dd-6131-cbee77f57577';
const seen: string[] = [];
let closedEarly = 0;
let server: http.Server;
let address: string;

const frame = (offset: number, text: string) =>
  `${JSON.stringify({ Offset: offset, Data: Buffer.from(text).toString('base64'), File: 'alloc/logs/web.stdout.0' })}\n`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://h');
    seen.push(`${url.pathname}${url.search} ${String(req.headers['x-nomad-token'] ?? '')}`);
    if (url.pathname.startsWith('/v1/client/fs/logs/')) {
      if (url.searchParams.get('task') !== 'web') {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('unknown task name "x"');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(frame(6, 'hello\n'));
      res.write('{}\n');
      // The second frame comes later; a follow never ends by itself.
      const timer = setTimeout(() => res.write(frame(12, 'world\n')), 100);
      res.once('close', () => {
        clearTimeout(timer);
        closedEarly += 1;
      });
      return;
    }
    if (url.pathname.startsWith('/v1/client/fs/ls/')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify([
          { Name: 'alloc', IsDir: true, Size: 4096, FileMode: 'drwxr-xr-x', ModTime: 'x' },
        ]),
      );
      return;
    }
    if (url.pathname.startsWith('/v1/client/fs/readat/')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('0123456789'.slice(Number(url.searchParams.get('offset')), 5));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('logs yields frames as they arrive, skips heartbeats, and ends the call when stopped', async () => {
  const client = createClient({ address, token: 'secret' });
  const frames = await client.allocFS.logs(ALLOC, { task: 'web', type: 'stdout', follow: true });
  const texts: string[] = [];
  for await (const f of frames) {
    texts.push(`${f.Offset}:${Buffer.from(f.Data).toString()}`);
    if (texts.length === 2) break;
  }
  expect(texts).toEqual(['6:hello\n', '12:world\n']);
  expect(seen.at(-1)).toBe(`/v1/client/fs/logs/${ALLOC}?task=web&type=stdout&follow=true secret`);
  await new Promise((r) => setTimeout(r, 100));
  expect(closedEarly).toBe(1);
});

test("a refusal rejects with the node's text", async () => {
  const client = createClient({ address });
  const call = client.allocFS.logs(ALLOC, { task: 'x', type: 'stdout' });
  await expect(call).rejects.toBeInstanceOf(BerthApiError);
  await expect(call).rejects.toThrow('unknown task name "x"');
});

test('list decodes the entries; readAt streams the bytes', async () => {
  const client = createClient({ address });
  const { data } = await client.allocFS.list(ALLOC, '/');
  expect(data.map((f) => f.Name)).toEqual(['alloc']);
  let text = '';
  for await (const chunk of await client.allocFS.readAt(ALLOC, 'alloc/data', 2, 3)) {
    text += Buffer.from(chunk).toString();
  }
  expect(text).toBe('234');
  expect(seen.at(-1)).toBe(`/v1/client/fs/readat/${ALLOC}?path=alloc%2Fdata&offset=2&limit=3 `);
});
