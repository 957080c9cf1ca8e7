// What a submitter actually sent. Nomad's api.Job uses Go pointers, so "absent" and "zero" differ
// (`Count` absent means 1, `Count: 0` means 0); the contract's schemas fill absent fields with
// zero values. Canonicalisation asks this view of the submitted JSON which fields were given.

/**
 * A view of one submitted JSON object. Keys match as Go's encoding/json matches them (exact, else
 * case-insensitive); `null` counts as absent. Without the submitted JSON (internal callers), a
 * field counts as given when its parsed value is not Go's zero value.
 */
export class Given {
  private constructor(
    /** The submitted object, or `undefined` when it was absent (every field then is absent). */
    private readonly raw: Record<string, unknown> | undefined,
    /** True when the submitted JSON is unknown and zero values stand for "absent". */
    private readonly guess: boolean,
  ) {}

  /** A view of the submitted JSON `raw`, or a guessing view when it is `undefined`. */
  static of(raw: unknown): Given {
    return raw === undefined ? new Given(undefined, true) : new Given(asObject(raw), false);
  }

  /** True if `key` was given (`parsed` is the parsed value, consulted only when guessing). */
  has(key: string, parsed: unknown): boolean {
    if (this.guess) return !isZero(parsed);
    const value = this.value(key);
    return value !== undefined && value !== null;
  }

  /** The view of the object under `key`. */
  child(key: string): Given {
    return this.guess ? this : new Given(asObject(this.value(key)), false);
  }

  /** The view of element `index` of the array under `key`. */
  item(key: string, index: number): Given {
    if (this.guess) return this;
    const list = this.value(key);
    return new Given(Array.isArray(list) ? asObject(list[index]) : undefined, false);
  }

  private value(key: string): unknown {
    const raw = this.raw;
    if (raw === undefined) return undefined;
    if (Object.hasOwn(raw, key)) return raw[key];
    const lower = key.toLowerCase();
    for (const k of Object.keys(raw)) if (k.toLowerCase() === lower) return raw[k];
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isZero(value: unknown): boolean {
  return value === undefined || value === null || value === 0 || value === '' || value === false;
}
