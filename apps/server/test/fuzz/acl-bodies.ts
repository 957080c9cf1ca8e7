// fast-check generators of the ACL API's request bodies, before the shared mutation of
// generators.ts: policies (name, description, rules from acl-rules.ts, a job attachment), tokens
// (types, policies, roles, expiry by TTL or time at and past Nomad's bounds, malformed times and
// durations, numbers no Go type holds) and bootstrap requests. A field that must equal the path's
// parameter (a policy's `Name`, an updated token's `AccessorID`) is mostly PATH_VALUE, which the
// request generator replaces with the parameter sent. No server code here.
import fc from 'fast-check';
import { rulesArb } from './acl-rules.js';
import { PATH_VALUE, RAW } from './body-markers.js';
import type { FuzzTargets } from './generators.js';

const names = (t: FuzzTargets) =>
  fc.constantFrom(
    ...t.acl.policies,
    'anonymous',
    'fuzz-new',
    'self',
    '',
    'a'.repeat(128),
    'a'.repeat(129),
    'with space',
    'ümlaut',
    'a/b',
  );

/** Bytes around Nomad's 256-byte limits on a description and a token name. */
const limitedText = fc.constantFrom(
  '',
  'seeded by the fuzz',
  'x'.repeat(256),
  'x'.repeat(257),
  'é'.repeat(128),
  'é'.repeat(129),
  '😀'.repeat(64),
  '😀'.repeat(65),
  '\u0000',
  '\ud800',
);

/** A policy, its `Name` mostly the path's. */
export function policyBody(t: FuzzTargets): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      Name: fc.oneof(
        { weight: 8, arbitrary: fc.constant(PATH_VALUE) },
        { weight: 1, arbitrary: names(t) },
      ),
      Description: fc.option(fc.oneof(limitedText, fc.string({ maxLength: 40 })), {
        nil: undefined,
      }),
      Rules: rulesArb,
      JobACL: rarely(
        fc.constantFrom(
          null,
          {},
          { Namespace: '', JobID: '', Group: '', Task: '' },
          { Namespace: 'default', JobID: 'fuzz-seed-0' },
          { JobID: 'fuzz-seed-0' },
          { Namespace: 'default', Group: 'web' },
          { Namespace: 'default', JobID: 'j', Group: 'g', Task: 't' },
        ),
      ),
      // At most one server-set field (type-checked, then dropped), so most bodies pass.
      serverSet: rarely(
        fc.constantFrom<Record<string, unknown>>(
          { Hash: '' },
          { Hash: 'AAAA' },
          { Hash: 'not base64' },
          { Hash: '====' },
          { Hash: [1, 2, 300] },
          { Hash: 5 },
          { RulesJSON: null },
          { RulesJSON: { Namespaces: [] } },
          { RulesJSON: 'x' },
          { CreateIndex: 5 },
          { CreateIndex: -1 },
          { CreateIndex: `${RAW}18446744073709551616` },
        ),
      ),
    })
    .map(({ serverSet, ...policy }) => ({ ...present(policy), ...serverSet }));
}

/** `arb`'s value one time in four, else absent: rarer fields leave most bodies plain. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** `o` without its absent (undefined) fields. */
function present(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const nsPerHour = 3_600_000_000_000;

/** `ExpirationTTL`: Go duration text or nanoseconds, at and past Nomad's 1 minute to 24 hours. */
const ttlArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '1h',
    '24h',
    '24h0m0.000000001s',
    '1m',
    '59.999999999s',
    '0s',
    '0',
    '-1h',
    '1d',
    '',
    '1h1h',
    '+1h',
    '.5h',
    '1.5h',
    '9223372036854775807ns',
    '9223372036854775808ns',
    '2562047h47m16.854775807s',
    '2562048h',
    '1e3s',
    'h',
    '1µs',
    '1us',
    `${'9'.repeat(40)}h`,
    'x'.repeat(300),
  ),
  fc.constantFrom(
    nsPerHour,
    24 * nsPerHour,
    24 * nsPerHour + 1,
    60_000_000_000,
    59_999_999_999,
    0,
    -1,
    1.5,
    2 ** 63,
    -(2 ** 63),
    2 ** 53 + 1,
    `${RAW}9223372036854775807`,
    `${RAW}9223372036854775808`,
    `${RAW}-9223372036854775809`,
    `${RAW}1e400`,
    `${RAW}-0`,
  ),
  fc.constantFrom(null, true, [], {}, ['1h']),
);

/** `ExpirationTime`: RFC 3339 around now and Nomad's bounds, Go's edge cases, and non-times. */
const expirationTimeArb: fc.Arbitrary<unknown> = fc.oneof(
  // Relative to when the request is made (seconds from now).
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(30, 65, 3600, 24 * 3600 - 60, 24 * 3600 + 60, -3600, 0)
      .map((s) => new Date(Date.now() + s * 1000).toISOString()),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0001-01-01T00:00:00Z',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999999999Z',
      '9999-12-31T23:59:59.9999999999999Z',
      '2024-02-30T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T00:60:00Z',
      '2024-01-01 00:00:00Z',
      '2024-01-01T00:00:00',
      '2024-01-01T00:00:00+25:00',
      '2024-01-01T00:00:00+01:00',
      '2024-01-01T00:00:00z',
      '2024-1-1T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '10000-01-01T00:00:00Z',
      '',
      'now',
      '1h',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 12345, true, [], {}) },
);

const tokenTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('client', 'client', 'management') },
  { weight: 1, arbitrary: fc.constantFrom('', 'Client', 'MANAGEMENT', 'bogus') },
);

function policiesArb(t: FuzzTargets): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...t.acl.policies), { minLength: 1 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        [],
        null,
        ['no-such-policy'],
        ['fuzz-read', 'fuzz-read'],
        [''],
        ['a'.repeat(200)],
        Array.from({ length: 2000 }, (_, i) => `p-${i}`),
        'fuzz-read',
        [1],
        [null],
      ),
    },
  );
}

/** A token to create (`update` false) or to update (its `AccessorID` mostly the path's). */
export function tokenBody(t: FuzzTargets, update: boolean): fc.Arbitrary<Record<string, unknown>> {
  const accessor = update
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant(PATH_VALUE) },
        { weight: 1, arbitrary: fc.constantFrom(...t.acl.accessors, '', 'x') },
      )
    : fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            ...t.acl.accessors,
            '',
            '3f0d1d2e-8c4b-4e7a-9f3e-2b1c0a9d8e7f',
          ),
        },
      );
  return fc
    .record({
      AccessorID: accessor,
      Name: fc.oneof(limitedText, fc.string({ maxLength: 40 })),
      Type: tokenTypes,
      Policies: policiesArb(t),
      Global: rarely(
        fc.oneof(
          { weight: 3, arbitrary: fc.boolean() },
          { weight: 1, arbitrary: fc.constantFrom('true', 1) },
        ),
      ),
      // An expiry by TTL or by time (both, rarely).
      expiry: rarely(
        fc.oneof(
          { weight: 3, arbitrary: ttlArb.map((v) => ({ ExpirationTTL: v })) },
          { weight: 3, arbitrary: expirationTimeArb.map((v) => ({ ExpirationTime: v })) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(ttlArb, expirationTimeArb)
              .map(([ttl, time]) => ({ ExpirationTTL: ttl, ExpirationTime: time })),
          },
        ),
      ),
      Roles: rarely(fc.constantFrom([], [{ ID: 'role-1' }], [{ Name: 'r' }], [{}], null, 'x')),
      // At most one server-set field (type-checked, then dropped), so most bodies pass.
      serverSet: rarely(
        fc.constantFrom<Record<string, unknown>>(
          { SecretID: '' },
          { SecretID: t.acl.management },
          { SecretID: 'not-a-uuid' },
          { SecretID: 5 },
          { CreateTime: '2024-01-01T00:00:00Z' },
          { CreateTime: 'x' },
          { CreateTime: 5 },
          { Hash: '' },
          { Hash: 1 },
          { CreateIndex: 0 },
          { CreateIndex: -1 },
          { CreateIndex: `${RAW}18446744073709551616` },
        ),
      ),
      // A management token sends no policies, as a rule (one time in four it does).
      managementPolicies: fc.nat(3),
    })
    .map(({ expiry, serverSet, managementPolicies, ...token }) => {
      const body: Record<string, unknown> = { ...present(token), ...expiry, ...serverSet };
      if (token.Type === 'management' && managementPolicies !== 0) delete body.Policies;
      return body;
    });
}

/** A bootstrap request (ACLs are bootstrapped already, so only its decoding is reached). */
export function bootstrapBody(t: FuzzTargets): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant({}),
    fc.constant(null),
    fc
      .constantFrom(
        '',
        t.acl.management,
        t.acl.management.toUpperCase(),
        '00000000-0000-4000-8000-00000000000g',
        'not-a-uuid',
        'x'.repeat(5000),
      )
      .map((s) => ({ BootstrapSecret: s })),
    tokenBody(t, false).map((token) => ({ Token: token })),
    fc.constantFrom(
      { ResetIndex: 1 },
      { ResetIndex: -1 },
      { ResetIndex: `${RAW}18446744073709551616` },
      { Region: 1 },
      { AuthToken: t.acl.management },
      { Token: 'x' },
      { Token: { ExpirationTime: 'x' } },
      { bootstrapsecret: 'not-a-uuid' },
    ),
  );
}
