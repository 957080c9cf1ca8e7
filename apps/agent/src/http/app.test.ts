import { afterEach, describe, expect, it } from 'vitest';
import { LifecycleError, type AllocRunner } from '../allocrunner/types.js';
import { buildAgentApp } from './app.js';

const SECRET = '8b1e2c4d-0000-4000-8000-000000000001';
const calls: string[] = [];

/** A runner that records the calls it gets and fails as told. */
function recordingRunner(fail?: LifecycleError): AllocRunner {
  return {
    allocID: 'a1',
    run: () => {},
    update: () => {},
    signal: (task, signal) => {
      calls.push(`signal ${task || '*'} ${signal}`);
      return fail ? Promise.reject(fail) : Promise.resolve();
    },
    restart: (task, all) => {
      calls.push(`restart ${task || '*'} ${all}`);
      return fail ? Promise.reject(fail) : Promise.resolve();
    },
    destroy: () => Promise.resolve(),
    clientState: () => ({ ClientStatus: 'running', ClientDescription: '', TaskStates: {} }),
    onChange: () => () => {},
  };
}

async function appWith(runner: AllocRunner) {
  return buildAgentApp({
    secretID: SECRET,
    allocation: (id) => (id === 'a1' ? { runner, namespace: 'default' } : undefined),
  });
}

afterEach(() => {
  calls.length = 0;
});

describe('the agent HTTP API', () => {
  it('carries out signal and restart for the servers, POST or PUT, and answers {}', async () => {
    const app = await appWith(recordingRunner());
    const headers = { 'x-nomad-token': SECRET };
    const sig = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/signal',
      headers,
      payload: { Signal: 'SIGUSR1', Task: 'web' },
    });
    expect([sig.statusCode, sig.body]).toEqual([200, '{}']);
    const restart = await app.inject({
      method: 'PUT',
      url: '/v1/client/allocation/a1/restart',
      headers,
    });
    expect(restart.statusCode).toBe(200);
    expect(calls).toEqual(['signal web SIGUSR1', 'restart * false']);
  });

  it("takes the node secret as a bearer token or as the signal body's AuthToken", async () => {
    const app = await appWith(recordingRunner());
    const bearer = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/restart',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(bearer.statusCode).toBe(200);
    const inBody = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/signal',
      payload: { Signal: 'SIGHUP', AuthToken: SECRET },
    });
    expect(inBody.statusCode).toBe(200);
    expect(calls).toEqual(['restart * false', 'signal * SIGHUP']);
  });

  it('without a token resolver, refuses every caller but the node, before any lookup', async () => {
    const app = await appWith(recordingRunner());
    for (const headers of [{ 'x-nomad-token': 'wrong' }, {}]) {
      for (const id of ['a1', 'other']) {
        const res = await app.inject({
          method: 'POST',
          url: `/v1/client/allocation/${id}/signal`,
          headers,
          payload: { Signal: 'SIGUSR1' },
        });
        expect([res.statusCode, res.body]).toEqual([403, 'Permission denied']);
      }
    }
    expect(calls).toEqual([]);
  });

  it('refuses other methods with 405 before anything runs, and unknown paths with 404', async () => {
    const app = await appWith(recordingRunner());
    for (const method of ['GET', 'DELETE', 'HEAD'] as const) {
      const res = await app.inject({
        method,
        url: '/v1/client/allocation/a1/restart',
        headers: { 'x-nomad-token': SECRET },
      });
      expect(res.statusCode).toBe(405);
      if (method !== 'HEAD') expect(res.body).toBe('Invalid method');
    }
    const unknown = await app.inject({ method: 'GET', url: '/v1/nothing' });
    expect([unknown.statusCode, unknown.body]).toEqual([404, '']);
    expect(calls).toEqual([]);
  });

  it('answers 404 for an allocation it does not run', async () => {
    const app = await appWith(recordingRunner());
    const res = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/other/restart',
      headers: { 'x-nomad-token': SECRET },
    });
    expect([res.statusCode, res.body]).toEqual([404, 'Unknown allocation "other"']);
  });

  it('answers a lifecycle error with its status and text, and bad JSON with a 400', async () => {
    const app = await appWith(recordingRunner(new LifecycleError(409, 'Task not running')));
    const res = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/signal',
      headers: { 'x-nomad-token': SECRET },
      payload: { Signal: 'SIGUSR1' },
    });
    expect([res.statusCode, res.body]).toEqual([409, 'Task not running']);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/restart',
      headers: { 'x-nomad-token': SECRET, 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(bad.statusCode).toBe(400);
  });
});
