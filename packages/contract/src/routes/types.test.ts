// Compile-time checks of what the server and client see through ts-rest.
import type { ClientInferRequest, ServerInferRequest, ServerInferResponses } from '@ts-rest/core';
import { expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import type { Allocation, AllocationSchema } from '../schemas/allocation.js';
import type { AllocListStub } from '../schemas/alloc-list-stub.js';
import type { contract } from './index.js';

type Routes = typeof contract.allocations;

test('server handlers get parsed (output) types', () => {
  type ListReq = ServerInferRequest<Routes['list']>;
  expectTypeOf<ListReq['query']['namespace']>().toEqualTypeOf<string>();
  expectTypeOf<ListReq['query']['index']>().toEqualTypeOf<number>();
  expectTypeOf<ListReq['query']['resources']>().toEqualTypeOf<boolean | undefined>();
  type SignalReq = ServerInferRequest<Routes['signal']>;
  expectTypeOf<SignalReq['body']['Signal']>().toEqualTypeOf<string>();
  expectTypeOf<SignalReq['params']['allocID']>().toEqualTypeOf<string>();
  type RestartReq = ServerInferRequest<Routes['restartPut']>;
  expectTypeOf<RestartReq['body']['AllTasks']>().toEqualTypeOf<boolean>();
});

test('a complete Allocation is a valid response body', () => {
  expectTypeOf<Allocation>().toMatchTypeOf<z.input<typeof AllocationSchema>>();
  type InfoRes = ServerInferResponses<Routes['info']>;
  expectTypeOf<{ status: 200; body: Allocation }>().toMatchTypeOf<InfoRes>();
  expectTypeOf<{ status: 404; body: string }>().toMatchTypeOf<InfoRes>();
  type ListRes = ServerInferResponses<Routes['list']>;
  expectTypeOf<{ status: 200; body: AllocListStub[] }>().toMatchTypeOf<ListRes>();
});

test('clients may pass numbers and booleans in queries', () => {
  type ListQuery = NonNullable<ClientInferRequest<Routes['list']>['query']>;
  expectTypeOf<{
    per_page: number;
    stale: boolean;
    index: number;
    resources: boolean;
  }>().toMatchTypeOf<ListQuery>();
  expectTypeOf<{ wait: string; prefix: string }>().toMatchTypeOf<ListQuery>();
});
