// Nomad's list paginator (nomad/state/paginator): `next_token` says where a page starts,
// `per_page` how many items it holds, and the first item left out becomes the next token.
import { badRequest } from './endpoint-error.js';
import { TimeSlice } from './time-slice.js';

export interface PaginatorOptions<T> {
  /** Items per page; 0 is unlimited. */
  perPage: number;
  /** Where to resume ('' from the start). */
  nextToken: string;
  /** True when the scan runs backwards (tokens then decrease). */
  reverse: boolean;
  /** The token of an item: its ID, or `<CreateIndex>.<ID>` for lists in creation order. */
  tokenOf: (item: T) => string;
}

export class Paginator<T> {
  #seeking: boolean;
  #count = 0;
  /** The token of the first item past this page ('' while there is none). */
  nextToken = '';

  constructor(private readonly options: PaginatorOptions<T>) {
    this.#seeking = options.nextToken !== '';
  }

  /** False while the scan has not yet reached `next_token`. */
  reached(item: T): boolean {
    if (!this.#seeking) return true;
    const order = compareTokens(this.options.tokenOf(item), this.options.nextToken);
    if (this.options.reverse ? order > 0 : order < 0) return false;
    this.#seeking = false;
    return true;
  }

  /** Counts an item into the page; false (and the next token set) once the page is full. */
  accept(item: T): boolean {
    const { perPage } = this.options;
    if (perPage !== 0 && this.#count >= perPage) {
      this.nextToken = this.options.tokenOf(item);
      return false;
    }
    this.#count++;
    return true;
  }
}

/**
 * Compares an item's token with `next_token`: `<index>.<id>` tokens compare by index as a number,
 * then by ID; anything else compares as plain strings.
 */
export function compareTokens(itemToken: string, nextToken: string): number {
  const dot = nextToken.indexOf('.');
  const itemDot = itemToken.indexOf('.');
  if (dot > 0 && itemDot > 0) {
    const wanted = Number(nextToken.slice(0, dot));
    const have = Number(itemToken.slice(0, itemDot));
    if (Number.isInteger(wanted) && /^-?\d+$/.test(nextToken.slice(0, dot))) {
      if (have !== wanted) return have < wanted ? -1 : 1;
      return compareStrings(itemToken.slice(itemDot + 1), nextToken.slice(dot + 1));
    }
  }
  return compareStrings(itemToken, nextToken);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paginator options for a list that is never paged (every item, in the scan's order). */
export const WHOLE_LIST = {
  perPage: 0,
  nextToken: '',
  reverse: false,
  tokenOf: (): string => '',
} as const;

/** What {@link page} needs beyond the paginator's options. */
export interface PageOptions<T, V> extends PaginatorOptions<T> {
  /** Whether an item belongs in the list at all (filter expression, namespaces, ...). */
  keep?: (item: T) => boolean;
  /** The wire view of an item that made the page. */
  view: (item: T) => V;
  /** The most time `keep` may take in all, in milliseconds ({@link FILTER_WORK_LIMIT_MS}). */
  filterLimitMs?: number;
}

/**
 * How long one list request may spend deciding which items it keeps (evaluating its filter)
 * before it is refused: every request is to be answered within a second (issue 7's fuzz bound).
 * At BENCHMARKS.md's scale an ordinary filter over 10,000 allocations takes a few milliseconds to
 * 0.1 s, and a regexp over all of their 300,000 task events about 0.4 to 0.7 s; URL-sized
 * pathological filters ran for 10 s and more. Building the views is not counted: it is bounded by
 * the state, not by what the request asks.
 */
export const FILTER_WORK_LIMIT_MS = 750;

/** 400 (berth's limit, not Nomad's): the filter took longer than its limit. */
export function filterWorkLimitText(limitMs: number): string {
  return (
    `failed to read result page: evaluating the filter took more than ${limitMs / 1000} s ` +
    "(berth's limit per list request); use a simpler filter, an ID prefix or a namespace"
  );
}

/**
 * One page of a scan: from `next_token`, the items `keep` accepts, at most `per_page` of them.
 * The scan runs in time slices that give the event loop a turn, so `scan` must be a snapshot (the
 * state store's lists are fresh arrays of immutable objects): a write between two slices does
 * not change the page. Throws a 400 once `keep` has taken longer than its limit.
 */
export async function page<T, V>(
  scan: readonly T[],
  options: PageOptions<T, V>,
): Promise<{ items: V[]; nextToken: string }> {
  const limitMs = options.filterLimitMs ?? FILTER_WORK_LIMIT_MS;
  const { keep } = options;
  const slice = new TimeSlice();
  const paginator = new Paginator(options);
  const items: V[] = [];
  let filterMs = 0;
  for (const item of scan) {
    if (slice.due()) await slice.yield();
    if (!paginator.reached(item)) continue;
    if (keep) {
      const started = performance.now();
      const kept = keep(item);
      filterMs += performance.now() - started;
      if (filterMs > limitMs) throw badRequest(filterWorkLimitText(limitMs));
      if (!kept) continue;
    }
    if (!paginator.accept(item)) break;
    items.push(options.view(item));
  }
  return { items, nextToken: paginator.nextToken };
}
