// Every route of the contract, found by walking it (a new router is covered with nothing to add):
// a summary, the same declared statuses, and strict status codes, so clients type every answer.
import type { AppRoute } from '@ts-rest/core';
import { expect, test } from 'vitest';
import { contract } from './index.js';

const routes = Object.entries(contract).flatMap(([router, r]) =>
  Object.entries(r as Record<string, AppRoute>).map(
    ([name, route]) => [`${router}.${name}`, route] as const,
  ),
);

test.each(routes)('%s has a summary, every status Nomad answers, strict codes', (_, route) => {
  expect(route.summary).toBeTruthy();
  expect(Object.keys(route.responses).sort()).toEqual([
    '200',
    '400',
    '403',
    '404',
    '405',
    '409',
    '500',
  ]);
  expect(route.strictStatusCodes).toBe(true);
});
