/**
 * fnmatch-style globs (as Cloud Custodian's glob): `*` any run of characters (slashes too), `?` one,
 * `[...]` a class (`[!...]` negated). Never a backtracking regular expression (`.*a.*a.*b` is
 * polynomial on a long value): the stars split the glob into fixed-length parts; the first must
 * start the value, the last end it, and each part between is matched at the leftmost place after
 * the one before (leftmost is right when only stars separate parts). O(value x glob) at worst.
 */

/** One character of a part: any character, one character, or a class. */
type CharTest =
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'class'; negated: boolean; ranges: number[] };

/** A compiled glob: `test(value)` is true when the glob matches the whole value. */
interface GlobMatcher {
  test(value: string): boolean;
}

// A class's members as [low, high] code ranges (a-z as fnmatch reads it; single characters as a-a).
const rangesOf = (members: string): number[] => {
  const ranges: number[] = [];
  for (let i = 0; i < members.length; i += 1) {
    const low = members.charCodeAt(i);
    if (members[i + 1] === '-' && i + 2 < members.length) {
      ranges.push(low, members.charCodeAt(i + 2));
      i += 2;
    } else ranges.push(low, low);
  }
  return ranges;
};

/** The glob's parts between stars, each a list of character tests. */
const partsOf = (glob: string): CharTest[][] => {
  const parts: CharTest[][] = [[]];
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    const part = parts[parts.length - 1] as CharTest[];
    if (char === '*') parts.push([]);
    else if (char === '?') part.push({ kind: 'any' });
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        part.push({ kind: 'char', code: char.charCodeAt(0) });
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      part.push({ kind: 'class', negated, ranges: rangesOf(negated ? body.slice(1) : body) });
      i = end;
    } else part.push({ kind: 'char', code: char.charCodeAt(0) });
  }
  return parts;
};

const passes = (test: CharTest, code: number): boolean => {
  if (test.kind === 'any') return true;
  if (test.kind === 'char') return test.code === code;
  let inside = false;
  for (let r = 0; r < test.ranges.length && !inside; r += 2) {
    inside = code >= (test.ranges[r] ?? 0) && code <= (test.ranges[r + 1] ?? -1);
  }
  return inside !== test.negated;
};

/** True when the part matches the value at `at` (the part is as long as what it matches). */
const matchesAt = (part: CharTest[], value: string, at: number): boolean => {
  for (let i = 0; i < part.length; i += 1) {
    if (!passes(part[i] as CharTest, value.charCodeAt(at + i))) return false;
  }
  return true;
};

/** The leftmost place at or after `from` (and ending by `end`) where the part matches, or -1. */
const find = (part: CharTest[], value: string, from: number, end: number): number => {
  const first = part[0];
  for (let at = from; at + part.length <= end; at += 1) {
    // A literal first character is looked for with native search.
    if (first?.kind === 'char') {
      at = value.indexOf(String.fromCharCode(first.code), at);
      if (at === -1 || at + part.length > end) return -1;
    }
    if (matchesAt(part, value, at)) return at;
  }
  return -1;
};

/** Compiles a glob into a matcher. */
const compileGlob = (glob: string): GlobMatcher => {
  const parts = partsOf(glob);
  const head = parts[0] as CharTest[];
  const tail = parts[parts.length - 1] as CharTest[];
  const middle = parts.slice(1, -1).filter((part) => part.length > 0);
  return {
    test: (value) => {
      if (parts.length === 1) return value.length === head.length && matchesAt(head, value, 0);
      const end = value.length - tail.length;
      if (end < head.length) return false;
      if (!matchesAt(head, value, 0) || !matchesAt(tail, value, end)) return false;
      let at = head.length;
      for (const part of middle) {
        const found = find(part, value, at, end);
        if (found === -1) return false;
        at = found + part.length;
      }
      return true;
    },
  };
};

const cache = new Map<string, GlobMatcher>();
const CACHE_LIMIT = 1000;

/** True when `value` matches the glob as a whole (fnmatch semantics, as Cloud Custodian's glob). */
const matchesGlob = (value: string, glob: string): boolean => {
  let matcher = cache.get(glob);
  if (!matcher) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    matcher = compileGlob(glob);
    cache.set(glob, matcher);
  }
  return matcher.test(value);
};

/** True when any glob matches. */
const matchesAnyGlob = (value: string, globs: readonly string[]): boolean =>
  globs.some((glob) => matchesGlob(value, glob));

export { compileGlob, type GlobMatcher, matchesAnyGlob, matchesGlob };
