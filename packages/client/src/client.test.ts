import { describe, expect, test } from 'vitest';
import {
  BerthApiError,
  BerthResponseValidationError,
  createClient,
  type FetchLike,
} from './index.js';

const ID = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';

interface Sent {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fake server: records each request and answers with `reply`. */
function fakeFetch(reply: (req: Sent) => Response) {
  const sent: Sent[] = [];
  const fetch: FetchLike = (url, init) => {
    const req: Sent = {
      url: new URL(url),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    sent.push(req);
    return Promise.resolve(reply(req));
  };
  return { fetch, sent };
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

const stub = { ID, DesiredStatus: 'run', ClientStatus: 'running', JobID: 'example' };

describe('allocations.list', () => {
  test('sends the query, namespace and token; parses body and meta', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json([stub], {
        'X-Nomad-Index': '57',
        'X-Nomad-KnownLeader': 'true',
        'X-Nomad-LastContact': '0',
        'X-Nomad-NextToken': '58.x',
      }),
    );
    const client = createClient({
      address: 'http://berth.test:4646/',
      token: 'secret',
      namespace: 'web',
      fetch,
    });
    const { data, meta } = await client.allocations.list({
      prefix: 'a8',
      per_page: 2,
      resources: true,
      task_states: false,
    });

    const req = sent[0]!;
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/v1/allocations');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({
      namespace: 'web',
      prefix: 'a8',
      per_page: '2',
      resources: 'true',
      task_states: 'false',
    });
    expect(req.headers.get('X-Nomad-Token')).toBe('secret');
    expect(meta).toEqual({ lastIndex: 57, knownLeader: true, lastContact: 0, nextToken: '58.x' });
    // Fields the server omitted parse to their zero values.
    expect(data[0]).toMatchObject({
      ID,
      NodeID: '',
      TaskStates: null,
      DesiredTransition: { Migrate: null },
    });
  });

  test('query beats call options, which beat client defaults', async () => {
    const { fetch, sent } = fakeFetch(() => json([]));
    const client = createClient({
      address: 'http://h',
      namespace: 'a',
      region: 'r1',
      token: 't1',
      fetch,
    });
    await client.allocations.list(undefined, { namespace: 'b', token: 't2' });
    await client.allocations.list({ namespace: '*' }, { namespace: 'b', region: 'r2' });
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({ namespace: 'b', region: 'r1' });
    expect(sent[0]!.headers.get('X-Nomad-Token')).toBe('t2');
    expect(Object.fromEntries(sent[1]!.url.searchParams)).toEqual({ namespace: '*', region: 'r2' });
    expect(sent[1]!.headers.get('X-Nomad-Token')).toBe('t1');
  });

  test('no token, no header', async () => {
    const { fetch, sent } = fakeFetch(() => json([]));
    await createClient({ address: 'http://h', fetch }).allocations.list();
    expect(sent[0]!.headers.has('X-Nomad-Token')).toBe(false);
    expect(sent[0]!.url.search).toBe('');
  });
});

describe('other calls', () => {
  test('info blocks with index and wait, and encodes the ID', async () => {
    const { fetch, sent } = fakeFetch(() => json(stub, { 'X-Nomad-Index': '60' }));
    const client = createClient({ address: 'http://h', fetch });
    const { data, meta } = await client.allocations.info(ID, { index: 57, wait: '30s' });
    expect(sent[0]!.url.pathname).toBe(`/v1/allocation/${ID}`);
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({ index: '57', wait: '30s' });
    expect(data.ID).toBe(ID);
    expect(meta.lastIndex).toBe(60);
    await client.allocations.info('a/b').catch(() => undefined);
    expect(sent[1]!.url.pathname).toBe('/v1/allocation/a%2Fb');
  });

  test('stop sends its booleans as query parameters and no body', async () => {
    const { fetch, sent } = fakeFetch(() =>
      json({ EvalID: 'e', Index: 61 }, { 'X-Nomad-Index': '61' }),
    );
    const client = createClient({ address: 'http://h', fetch });
    const { data, meta } = await client.allocations.stop(ID, {
      noShutdownDelay: true,
      reschedule: false,
    });
    expect(sent[0]!.method).toBe('POST');
    expect(sent[0]!.url.pathname).toBe(`/v1/allocation/${ID}/stop`);
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
      no_shutdown_delay: 'true',
      reschedule: 'false',
    });
    expect(sent[0]!.body).toBeUndefined();
    expect(data).toEqual({ EvalID: 'e', Index: 61 });
    expect(meta.lastIndex).toBe(61);
  });

  test('signal and restart send JSON bodies; both {} and {"Index":0} are success', async () => {
    const { fetch, sent } = fakeFetch((req) =>
      req.url.pathname.endsWith('signal') ? json({}) : json({ Index: 0 }),
    );
    const client = createClient({ address: 'http://h', fetch });
    const signalled = await client.allocations.signal(ID, { Signal: 'SIGUSR1', Task: 'redis' });
    const restarted = await client.allocations.restart(ID);
    await client.allocations.restart(ID, { AllTasks: true });
    expect(signalled).toEqual({
      data: {},
      meta: { lastIndex: 0, knownLeader: false, lastContact: 0, nextToken: '' },
    });
    expect(restarted.data).toEqual({ Index: 0 });
    expect(sent.map((r) => `${r.method} ${r.url.pathname} ${r.body}`)).toEqual([
      `POST /v1/client/allocation/${ID}/signal {"Signal":"SIGUSR1","Task":"redis"}`,
      `POST /v1/client/allocation/${ID}/restart {}`,
      `POST /v1/client/allocation/${ID}/restart {"AllTasks":true}`,
    ]);
    expect(sent[0]!.headers.get('Content-Type')).toBe('application/json');
  });
});

describe('errors', () => {
  test.each([
    [404, 'alloc not found'],
    [403, 'Permission denied'],
    [400, 'Invalid index'],
    [405, 'Invalid method'],
    [409, 'Task not running'],
    [500, 'internal error'],
  ])('%d becomes a BerthApiError with the text body', async (status, body) => {
    const { fetch } = fakeFetch(() => text(status, body));
    const err: unknown = await createClient({ address: 'http://h', fetch })
      .allocations.info(ID)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthApiError);
    expect(err).toMatchObject({
      status,
      message: body,
      method: 'GET',
      path: `/v1/allocation/${ID}`,
    });
  });

  test('a bare 404 (unregistered path) has an empty message', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 404 }));
    const err: unknown = await createClient({ address: 'http://h', fetch })
      .allocations.stop(ID)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'BerthApiError',
      status: 404,
      message: '',
      method: 'POST',
      path: `/v1/allocation/${ID}/stop`,
    });
  });

  test('a 2xx body that does not match the contract', async () => {
    const { fetch } = fakeFetch(() => json({ nope: true }));
    const client = createClient({ address: 'http://h', fetch });
    await expect(client.allocations.list()).rejects.toBeInstanceOf(BerthResponseValidationError);
    const { fetch: badJson } = fakeFetch(
      () => new Response('{', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    await expect(
      createClient({ address: 'http://h', fetch: badJson }).allocations.list(),
    ).rejects.toBeInstanceOf(BerthResponseValidationError);
  });

  test('validateResponse: false hands the body through as sent', async () => {
    const { fetch } = fakeFetch(() => json([{ ID }]));
    const { data } = await createClient({
      address: 'http://h',
      fetch,
      validateResponse: false,
    }).allocations.list();
    expect(data).toEqual([{ ID }]);
  });
});
