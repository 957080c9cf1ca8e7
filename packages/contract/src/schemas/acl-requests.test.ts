import { expect, test } from 'vitest';
import { parseJson } from '../go/json-text.js';
import {
  AclBootstrapRequestSchema,
  AclPolicyRequestSchema,
  AclTokenRequestSchema,
} from './acl-requests.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

const ALIAS = 'struct { ExpirationTTL interface {}; Hash string; *structs.Alias }';

test('a policy body decodes as Go decodes structs.ACLPolicy', () => {
  expect(
    AclPolicyRequestSchema.parse({
      name: 'readonly',
      Description: 'Read jobs',
      RULES: 'namespace "default" { policy = "read" }',
      Hash: 'AAEC',
      CreateIndex: 9,
      Other: [1],
    }),
  ).toEqual({
    Name: 'readonly',
    Description: 'Read jobs',
    Rules: 'namespace "default" { policy = "read" }',
    JobACL: null,
  });
  expect(AclPolicyRequestSchema.parse({ Name: 'p', JobACL: { Namespace: 'ns' } })).toEqual({
    Name: 'p',
    Description: '',
    Rules: '',
    JobACL: { Namespace: 'ns', JobID: '', Group: '', Task: '' },
  });
  expect(AclPolicyRequestSchema.parse(null)).toEqual({
    Name: '',
    Description: '',
    Rules: '',
    JobACL: null,
  });
});

test("a bad policy body fails with Go's bare text", () => {
  const err = (body: unknown) => firstError(AclPolicyRequestSchema.safeParse(body));
  expect(err(undefined)).toBe('Request body is empty');
  expect(err([])).toBe('json: cannot unmarshal array into Go value of type structs.ACLPolicy');
  expect(err({ Name: 'p', Rules: 5 })).toBe(
    'json: cannot unmarshal number into Go struct field ACLPolicy.Rules of type string',
  );
  expect(err({ Name: 'p', JobACL: 'x' })).toBe(
    'json: cannot unmarshal string into Go struct field ACLPolicy.JobACL of type structs.JobACL',
  );
  expect(err({ Name: 'p', JobACL: { JobID: true } })).toBe(
    'json: cannot unmarshal bool into Go struct field JobACL.JobACL.JobID of type string',
  );
  expect(err({ Name: 'p', RulesJSON: [] })).toBe(
    'json: cannot unmarshal array into Go struct field ACLPolicy.RulesJSON of type acl.Policy',
  );
  expect(err(parseJson('{"Name":"p","ModifyIndex":-1}'))).toBe(
    'json: cannot unmarshal number -1 into Go struct field ACLPolicy.ModifyIndex of type uint64',
  );
  expect(err({ Name: 'p', Hash: 5 })).toBe(
    'json: cannot unmarshal number into Go struct field ACLPolicy.Hash of type []uint8',
  );
  expect(err({ Name: 'p', Hash: 'ab$d' })).toBe('illegal base64 data at input byte 2');
  expect(err({ Name: 'p', Hash: 'abc' })).toBe('illegal base64 data at input byte 0');
  expect(err({ Name: 'p', Hash: 'YQ=' })).toBe('illegal base64 data at input byte 3');
  expect(err({ Name: 'p', Hash: 'Y===' })).toBe('illegal base64 data at input byte 1');
  expect(err({ Name: 'p', Hash: 'YQ==YQ==' })).toBe('illegal base64 data at input byte 4');
  expect(err({ Name: 'p', Hash: 'YWI=\n' })).toBeUndefined();
  expect(err({ Name: 'p', Hash: 'é' })).toBe('illegal base64 data at input byte 0');
  expect(err({ Name: 'p', Hash: [1, 256] })).toBe(
    'json: cannot unmarshal number 256 into Go struct field ACLPolicy.Hash of type uint8',
  );
});

test('a token body decodes as ACLToken.UnmarshalJSON does', () => {
  expect(
    AclTokenRequestSchema.parse({
      accessorid: 'a1',
      Name: 'ci',
      Type: 'client',
      Policies: ['readonly'],
      Global: true,
      SecretID: 'ignored',
      CreateTime: '0001-01-01T00:00:00Z',
      ExpirationTime: '2030-01-02T03:04:05.5+01:00',
      ExpirationTTL: '1h30m',
    }),
  ).toEqual({
    AccessorID: 'a1',
    Name: 'ci',
    Type: 'client',
    Policies: ['readonly'],
    Roles: null,
    Global: true,
    ExpirationTime: '2030-01-02T03:04:05.5+01:00',
    ExpirationTTL: 5_400_000_000_000,
  });
  const ttl = (v: unknown) => AclTokenRequestSchema.parse({ ExpirationTTL: v }).ExpirationTTL;
  // Nanoseconds (truncated, as Go converts a float64), Go's text, "" and other kinds: none.
  expect(ttl(90_000_000_000)).toBe(90_000_000_000);
  expect(ttl(1.9)).toBe(1);
  expect(ttl('')).toBe(0);
  expect(ttl(true)).toBe(0);
  expect(ttl({ h: 1 })).toBe(0);
  expect(AclTokenRequestSchema.parse({ Roles: [{ ID: 'r1' }, null], Policies: [] })).toMatchObject({
    Roles: [
      { ID: 'r1', Name: '' },
      { ID: '', Name: '' },
    ],
    Policies: [],
  });
});

test("a bad token body fails with Go's bare text, field paths through the Alias embedding", () => {
  const err = (body: unknown) => firstError(AclTokenRequestSchema.safeParse(body));
  expect(err(undefined)).toBe('Request body is empty');
  expect(err('x')).toBe(`json: cannot unmarshal string into Go value of type ${ALIAS}`);
  expect(err({ Name: 5 })).toBe(
    'json: cannot unmarshal number into Go struct field .Alias.Name of type string',
  );
  expect(err({ Policies: 'readonly' })).toBe(
    'json: cannot unmarshal string into Go struct field .Alias.Policies of type []string',
  );
  expect(err({ Policies: ['a', 1] })).toBe(
    'json: cannot unmarshal number into Go struct field .Alias.Policies of type string',
  );
  expect(err({ Roles: [{ Name: false }] })).toBe(
    'json: cannot unmarshal bool into Go struct field ACLTokenRoleLink.Alias.Roles.Name of type string',
  );
  expect(err({ Global: 'yes' })).toBe(
    'json: cannot unmarshal string into Go struct field .Alias.Global of type bool',
  );
  expect(err({ Hash: 1 })).toBe(
    'json: cannot unmarshal number into Go struct field .Hash of type string',
  );
  expect(err({ ExpirationTTL: '1d' })).toBe('time: unknown unit "d" in duration "1d"');
  expect(err({ ExpirationTTL: 1e30 })).toBe(
    'json: cannot unmarshal number 1e+30 into Go struct field .ExpirationTTL of type time.Duration',
  );
  expect(err({ ExpirationTime: 5 })).toBe('Time.UnmarshalJSON: input is not a JSON string');
  expect(err({ ExpirationTime: '2030-13-01T00:00:00Z' })).toBe(
    'parsing time "2030-13-01T00:00:00Z": month out of range',
  );
});

test("a time's error ends Go's decoding, so it wins over a kind error before it", () => {
  expect(firstError(AclTokenRequestSchema.safeParse({ Name: 5, CreateTime: 'soon' }))).toBe(
    'parsing time "soon" as "2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"',
  );
});

test('a bootstrap body is optional; only BootstrapSecret is kept', () => {
  expect(AclBootstrapRequestSchema.parse(undefined)).toEqual({ BootstrapSecret: '' });
  expect(AclBootstrapRequestSchema.parse(null)).toEqual({ BootstrapSecret: '' });
  expect(
    AclBootstrapRequestSchema.parse({
      bootstrapsecret: '2b778dd9-f5f1-6f29-b4b4-9a5fa948757a',
      ResetIndex: 4,
      Token: { Name: 'mine' },
    }),
  ).toEqual({ BootstrapSecret: '2b778dd9-f5f1-6f29-b4b4-9a5fa948757a' });
});

test("a bad bootstrap body fails after Nomad's `failed to decode request body: `", () => {
  const err = (body: unknown) => firstError(AclBootstrapRequestSchema.safeParse(body));
  expect(err([])).toBe(
    'failed to decode request body: json: cannot unmarshal array into Go value of type structs.ACLTokenBootstrapRequest',
  );
  expect(err({ BootstrapSecret: 7 })).toBe(
    'failed to decode request body: json: cannot unmarshal number into Go struct field ACLTokenBootstrapRequest.BootstrapSecret of type string',
  );
  expect(err({ Region: 7 })).toBe(
    'failed to decode request body: json: cannot unmarshal number into Go struct field ACLTokenBootstrapRequest.WriteRequest.Region of type string',
  );
  expect(err({ ResetIndex: 'x' })).toBe(
    'failed to decode request body: json: cannot unmarshal string into Go struct field ACLTokenBootstrapRequest.ResetIndex of type uint64',
  );
  // The token decodes through its UnmarshalJSON: its error ends decoding (winning over the
  // secret's), and the outer decoder names where the token is.
  expect(err({ BootstrapSecret: 7, Token: 'x' })).toBe(
    `failed to decode request body: json: cannot unmarshal string into Go struct field ACLTokenBootstrapRequest.Token of type ${ALIAS}`,
  );
  expect(err({ Token: { Name: 5 } })).toBe(
    'failed to decode request body: json: cannot unmarshal number into Go struct field ACLTokenBootstrapRequest.Token.Alias.Name of type string',
  );
  expect(err({ Token: { Roles: [{ ID: 1 }] } })).toBe(
    'failed to decode request body: json: cannot unmarshal number into Go struct field ACLTokenBootstrapRequest.Token.Alias.Roles.ID of type string',
  );
  expect(err({ Token: { ExpirationTTL: 'soon' } })).toBe(
    'failed to decode request body: time: invalid duration "soon"',
  );
});
