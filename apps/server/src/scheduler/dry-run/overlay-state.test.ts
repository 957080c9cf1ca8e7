// The plan's view of the state: the proposed job in place of its stored version, everything else
// as stored, and no commit listener left behind once the plan is done.
import { afterEach, expect, test } from 'vitest';
import { openStateStore, type StateStore } from '../../state/index.js';
import { seed } from '../../test-support/harness.js';
import { mockJob } from '../../test-support/mock.js';
import { overlayState } from './overlay-state.js';

let store: StateStore | undefined;
afterEach(() => store?.close());

test('the proposed job answers for its ID and version only; other jobs are as stored', async () => {
  store = openStateStore({ inMemory: true, freeze: true });
  const stored = mockJob({ ID: 'web' });
  const other = mockJob({ ID: 'api' });
  await seed(store, { jobs: [stored, other] });
  const current = store.jobByID('default', 'web')!;
  const proposed = { ...current, Version: current.Version + 1, Priority: 70 };
  const view = overlayState(store, proposed);
  expect(view.jobByID('default', 'web')).toBe(proposed);
  expect(view.jobVersion('default', 'web', proposed.Version)).toBe(proposed);
  expect(view.jobVersion('default', 'web', current.Version)).toEqual(current);
  expect(view.jobByID('other', 'web')).toBeUndefined();
  expect(view.jobByID('default', 'api')).toEqual(store.jobByID('default', 'api'));
  expect(store.jobByID('default', 'web')).toEqual(current);
  // Without a proposed job the view is the store.
  expect(overlayState(store, null).jobByID('default', 'web')).toEqual(current);
});

test('closing the view removes the commit listeners registered through it', async () => {
  store = openStateStore({ inMemory: true, freeze: true });
  const view = overlayState(store, null);
  let heard = 0;
  view.onCommit(() => heard++);
  const off = view.onCommit(() => heard++);
  await seed(store, { jobs: [mockJob()] });
  expect(heard).toBe(2);
  off();
  await seed(store, { jobs: [mockJob()] });
  expect(heard).toBe(3);
  view.close();
  await seed(store, { jobs: [mockJob()] });
  expect(heard).toBe(3);
});
