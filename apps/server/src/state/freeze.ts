// Freezes stored objects (optional, for development and tests) so an accidental mutation of a
// state object throws instead of silently changing what other readers see.

/** Freezes `obj` and everything reachable from it; stops at objects already frozen (shared ones). */
export function deepFreeze<T>(obj: T): T {
  if (obj === null || typeof obj !== 'object' || Object.isFrozen(obj)) return obj;
  Object.freeze(obj);
  for (const value of Object.values(obj)) deepFreeze(value);
  return obj;
}
