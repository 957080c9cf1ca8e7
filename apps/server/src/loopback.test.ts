import { expect, test } from 'vitest';
import { isLoopbackAddress } from './loopback.js';

test.each([
  'localhost',
  'LocalHost',
  '127.0.0.1',
  '127.1.2.3',
  '127.255.255.255',
  '::1',
  '0:0:0:0:0:0:0:1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
])('%s is loopback', (host) => {
  expect(isLoopbackAddress(host)).toBe(true);
});

test.each([
  '0.0.0.0',
  '::',
  '10.0.0.1',
  '128.0.0.1',
  '1.127.0.0',
  '::ffff:10.0.0.1',
  '::2',
  'fe80::1%eth0',
  '::1%lo',
  // getaddrinfo would read these as 127.0.0.1; berth takes only the plain forms.
  '127.1',
  '0127.0.0.1',
  'localhost.',
  'example.com',
  '',
])('%j is not loopback', (host) => {
  expect(isLoopbackAddress(host)).toBe(false);
});
