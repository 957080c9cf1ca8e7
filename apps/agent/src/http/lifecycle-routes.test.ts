// Signal and restart as the contract's routes bring them to the agent's app: the query and body
// checked before the caller is, a runner's fault answered with its text, and every method the
// contract does not give these paths refused.
import { ErrorText } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import type { AllocRunner } from '../allocrunner/types.js';
import { buildAgentApp } from './app.js';

const SECRET = '8b1e2c4d-0000-4000-8000-000000000002';

/** A runner whose every action fails with a plain error, as a defect would. */
function faultyRunner(): AllocRunner {
  const fault = () => Promise.reject(new Error('runner fault: no process table'));
  return {
    allocID: 'a1',
    run: () => {},
    update: () => {},
    signal: fault,
    restart: fault,
    destroy: () => Promise.resolve(),
    clientState: () => ({ ClientStatus: 'running', ClientDescription: '', TaskStates: {} }),
    onChange: () => () => {},
  };
}

const app = () =>
  buildAgentApp({
    secretID: SECRET,
    allocation: (id) =>
      id === 'a1' ? { runner: faultyRunner(), namespace: 'default' } : undefined,
  });

describe('signal and restart from the contract', () => {
  it('check the query options as the contract reads them, before the caller', async () => {
    const res = await (
      await app()
    ).inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/restart?wait=soon',
      headers: { 'x-nomad-token': 'not the secret' },
    });
    expect([res.statusCode, res.body]).toEqual([400, 'Invalid wait time']);
  });

  it('decode the body before the caller is checked, with Go’s texts for a wrong type', async () => {
    const a = await app();
    const broken = await a.inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/signal',
      headers: { 'x-nomad-token': 'not the secret', 'content-type': 'text/plain' },
      payload: '{"Signal":',
    });
    expect([broken.statusCode, broken.body]).toEqual([400, 'Failed to decode request body']);
    const wrong = await a.inject({
      method: 'PUT',
      url: '/v1/client/allocation/a1/restart',
      headers: { 'x-nomad-token': 'not the secret' },
      payload: '[1]',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/^Failed to decode body: json: cannot unmarshal array/);
  });

  it('answer a runner’s fault as a 500 with its text', async () => {
    const res = await (
      await app()
    ).inject({
      method: 'POST',
      url: '/v1/client/allocation/a1/signal',
      headers: { 'x-nomad-token': SECRET },
      payload: { Signal: 'SIGHUP' },
    });
    expect([res.statusCode, res.body]).toEqual([500, 'runner fault: no process table']);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('refuse every method the contract does not give the paths', async () => {
    const a = await app();
    for (const url of ['/v1/client/allocation/a1/signal', '/v1/client/allocation/a1/restart']) {
      for (const method of ['GET', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
        const res = await a.inject({ method, url, headers: { 'x-nomad-token': SECRET } });
        expect([res.statusCode, res.body], `${method} ${url}`).toEqual([
          405,
          ErrorText.InvalidMethod,
        ]);
      }
    }
  });
});
