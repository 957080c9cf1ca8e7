// Markers the body generators leave in a JSON tree, resolved when the body is made into bytes
// (generators.ts): numbers JSON.stringify cannot write, and the value of the path's parameter.

/** A string `RAW + "1e400"` becomes the bare JSON literal `1e400` once stringified. */
export const RAW = '\u0000raw:';

/**
 * A string that becomes the JSON string of the request's last path parameter (decoded), so
 * that a body's `Name` or `AccessorID` can equal the path's, as a valid write must.
 */
export const PATH_VALUE = '\u0000path';
