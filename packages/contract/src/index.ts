// @berth/contract: the wire schemas, header names, error texts, query options and ts-rest routes
// of berth's Nomad-compatible HTTP API.
export * from './errors.js';
export * from './go/index.js';
export * from './headers.js';
export * from './query.js';
export * from './routes/index.js';
export * from './schemas/index.js';
