// One plan at a time; the rest wait in order; too many waiting are refused, not queued.
import { expect, test } from 'vitest';
import { PlanGate } from './plan-gate.js';

test('plans run one at a time, in the order they came, and a full queue refuses', async () => {
  const gate = new PlanGate(2);
  const order: string[] = [];
  let release!: () => void;
  const first = gate.run(async () => {
    order.push('first start');
    await new Promise<void>((r) => (release = r));
    order.push('first end');
    return 1;
  });
  const second = gate.run(() => {
    order.push('second');
    return Promise.resolve(2);
  });
  const third = gate.run(() => {
    order.push('third');
    return Promise.resolve(3);
  });
  expect(await gate.run(() => Promise.resolve(4))).toEqual({ ok: false });
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['first start']);
  release();
  expect(await Promise.all([first, second, third])).toEqual([
    { ok: true, value: 1 },
    { ok: true, value: 2 },
    { ok: true, value: 3 },
  ]);
  expect(order).toEqual(['first start', 'first end', 'second', 'third']);
});

test('a plan that throws lets the next one run', async () => {
  const gate = new PlanGate();
  const failing = gate.run(() => Promise.reject(new Error('boom')));
  const next = gate.run(() => Promise.resolve('ran'));
  await expect(failing).rejects.toThrow('boom');
  expect(await next).toEqual({ ok: true, value: 'ran' });
});
