// @berth/client: a typed client for berth and Nomad-compatible HTTP APIs.
export * from './client.js';
export * from './errors.js';
export { createFetcher, type FetchLike } from './fetcher.js';
export * from './query-meta.js';
