// The capability sets of one kind of named rule (namespaces, node pools, host volumes) merged
// across policies, and Nomad's lookup of the set that applies to a name (acl/acl.go NewACL,
// matchingNamespaceCapabilitySet, findClosestMatchingGlob).
import { countStars, globMatch } from './glob.js';
import { goCompare, goLength } from './go-format.js';

/** Capability sets keyed by rule name; names holding `*` are globs. */
export class RuleSet {
  private readonly exact = new Map<string, Set<string>>();
  private readonly globs = new Map<string, Set<string>>();

  /**
   * Merges one rule: its capabilities join the set of every earlier rule of the same name, but
   * `deny` anywhere leaves the set holding `deny` alone. A rule with no capabilities still
   * creates its (empty) set, which then shadows globs for that name, as in Nomad.
   */
  add(name: string, capabilities: readonly string[]): void {
    const table = name.includes('*') ? this.globs : this.exact;
    let set = table.get(name);
    if (set === undefined) {
      set = new Set();
      table.set(name, set);
    }
    if (set.has('deny')) return;
    for (const cap of capabilities) {
      if (cap === 'deny') {
        set.clear();
        set.add('deny');
        return;
      }
      set.add(cap);
    }
  }

  /**
   * The set that applies to `name`: its exact rule, else the closest matching glob, the one with
   * the fewest characters left for its `*`s to cover. Ties go to the glob that sorts last, as
   * Nomad's stable sort with a `<=` comparison leaves them.
   */
  match(name: string): ReadonlySet<string> | undefined {
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    let best: { glob: string; score: number; set: Set<string> } | undefined;
    for (const [glob, set] of this.globs) {
      if (!globMatch(glob, name)) continue;
      // Nomad's difference is len(name) - len(glob) + stars; len(name) is the same for all.
      const score = countStars(glob) - goLength(glob);
      if (
        best === undefined ||
        score < best.score ||
        (score === best.score && goCompare(glob, best.glob) > 0)
      ) {
        best = { glob, score, set };
      }
    }
    return best?.set;
  }

  /** Whether `test` holds for the set of some rule, exact or glob. */
  some(test: (set: ReadonlySet<string>) => boolean): boolean {
    for (const set of this.exact.values()) if (test(set)) return true;
    for (const set of this.globs.values()) if (test(set)) return true;
    return false;
  }
}
