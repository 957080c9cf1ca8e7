export * from './duration.js';
export * from './json-text.js';
export * from './number-types.js';
export * from './parse-bool.js';
export * from './quote.js';
