/**
 * fnmatch-style globs (as Cloud Custodian's glob): `*` any run of characters (slashes too), `?` one,
 * `[...]` a class (`[!...]` negated). Matched by a scan with one remembered star, never by a
 * backtracking regular expression: O(value x glob) in the worst case, so a 256 KB value against a
 * glob of many stars stays fast (a `.*a.*b.*c` regular expression would not).
 */

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; char: string }
  | { kind: 'class'; negated: boolean; members: string };

const tokenise = (glob: string): Token[] => {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        tokens.push({ kind: 'char', char });
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      tokens.push({ kind: 'class', negated, members: negated ? body.slice(1) : body });
      i = end;
    } else tokens.push({ kind: 'char', char });
  }
  return tokens;
};

// A class's members, with ranges (a-z) as fnmatch reads them.
const inClass = (char: string, members: string): boolean => {
  for (let i = 0; i < members.length; i += 1) {
    const low = members[i] ?? '';
    if (members[i + 1] === '-' && i + 2 < members.length) {
      const high = members[i + 2] ?? '';
      if (char >= low && char <= high) return true;
      i += 2;
    } else if (char === low) return true;
  }
  return false;
};

const matchesToken = (token: Token, char: string): boolean => {
  if (token.kind === 'any') return true;
  if (token.kind === 'char') return token.char === char;
  if (token.kind === 'class') return inClass(char, token.members) !== token.negated;
  return false;
};

/** A compiled glob: `test(value)` is true when the glob matches the whole value. */
interface GlobMatcher {
  test(value: string): boolean;
}

/**
 * A glob of literal text and stars only (most are: `*.dkr.ecr.*.amazonaws.com`): the first part
 * must start the value, the last end it, and each part between is found with indexOf after the
 * previous (leftmost is right for stars), with native string search.
 */
const starGlob = (glob: string): GlobMatcher => {
  const parts = glob.split('*');
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  return {
    test: (value) => {
      if (parts.length === 1) return value === glob;
      if (value.length < first.length + last.length) return false;
      if (!value.startsWith(first) || !value.endsWith(last)) return false;
      let at = first.length;
      const end = value.length - last.length;
      for (const part of middle) {
        const found = value.indexOf(part, at);
        if (found === -1 || found + part.length > end) return false;
        at = found + part.length;
      }
      return true;
    },
  };
};

/** Compiles a glob into a matcher (the classic wildcard scan: on a mismatch, resume after the last star). */
const compileGlob = (glob: string): GlobMatcher => {
  if (!glob.includes('?') && !glob.includes('[')) return starGlob(glob);
  const tokens = tokenise(glob);
  return {
    test: (value) => {
      let v = 0;
      let t = 0;
      let starToken = -1;
      let starValue = 0;
      while (v < value.length) {
        const token = tokens[t];
        if (token && token.kind !== 'star' && matchesToken(token, value[v] ?? '')) {
          v += 1;
          t += 1;
        } else if (token?.kind === 'star') {
          starToken = t;
          starValue = v;
          t += 1;
        } else if (starToken !== -1) {
          t = starToken + 1;
          starValue += 1;
          v = starValue;
        } else return false;
      }
      while (tokens[t]?.kind === 'star') t += 1;
      return t === tokens.length;
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
