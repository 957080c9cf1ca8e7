import type { AclToken } from '@berth/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from '../state/index.js';
import { liveTokenBySecret, tokenExpired } from './live-token.js';

const SECRET = '5ec00000-0000-4000-8000-000000000001';
const NOW = Date.parse('2026-03-01T12:00:00Z');

function token(expiration: string | null): AclToken {
  return {
    AccessorID: 'acc00000-0000-4000-8000-000000000001',
    SecretID: SECRET,
    Name: 'ops',
    Type: 'client',
    Policies: ['readonly'],
    Roles: null,
    Global: false,
    Hash: null,
    CreateTime: '2026-03-01T11:00:00Z',
    ExpirationTime: expiration,
    ExpirationTTL: '',
    CreateIndex: 2,
    ModifyIndex: 2,
  };
}

let store: StateStore;
beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
});
afterEach(() => store.close());

describe('liveTokenBySecret', () => {
  it('finds a stored token by its exact secret, never by an empty or different one', async () => {
    await store.write((tx) => tx.upsertAclToken(token(null)));
    expect(liveTokenBySecret(store, SECRET, NOW)?.Name).toBe('ops');
    expect(liveTokenBySecret(store, '', NOW)).toBeUndefined();
    expect(liveTokenBySecret(store, SECRET.toUpperCase(), NOW)).toBeUndefined();
    expect(liveTokenBySecret(store, SECRET.replace(/1$/, '2'), NOW)).toBeUndefined();
  });

  it('refuses a token once its expiration time is reached', async () => {
    await store.write((tx) => tx.upsertAclToken(token('2026-03-01T12:00:00Z')));
    expect(liveTokenBySecret(store, SECRET, NOW - 1)?.Name).toBe('ops');
    expect(liveTokenBySecret(store, SECRET, NOW)).toBeUndefined();
    expect(liveTokenBySecret(store, SECRET, NOW + 1)).toBeUndefined();
  });

  it("reads offsets and nanoseconds; Go's zero time is no expiry; unreadable text is expired", () => {
    expect(tokenExpired(token('2026-03-01T13:00:00+01:00'), NOW)).toBe(true);
    expect(tokenExpired(token('2026-03-01T12:00:00.000000001Z'), NOW - 1)).toBe(false);
    expect(tokenExpired(token('0001-01-01T00:00:00Z'), NOW)).toBe(false);
    expect(tokenExpired(token(null), NOW)).toBe(false);
    expect(tokenExpired(token('soon'), NOW)).toBe(true);
  });
});
