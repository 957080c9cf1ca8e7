export * from './duration.js';
export * from './parse-bool.js';
export * from './quote.js';
