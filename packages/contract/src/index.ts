// @berth/contract: the wire schemas, header names, error texts and ts-rest routes of berth's
// Nomad-compatible HTTP API.
export * from './schemas/index.js';
