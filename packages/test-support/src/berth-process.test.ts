import { expect, test } from 'vitest';
import { exited, spawnBerth } from './berth-process.js';

test('a process that exits before the line rejects with its output, and exited says how it ended', async () => {
  const berth = spawnBerth(['nope'], /never printed/);
  await expect(berth.line).rejects.toThrow(/exited \(1\) before .*berth: unknown command "nope"/s);
  // Already exited: answers at once, with the same code.
  expect(await exited(berth.child)).toEqual({ code: 1, signal: null });
});
