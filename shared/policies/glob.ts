const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

const escapeChar = (char: string): string => char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** A glob as a regular expression: `*` any run of characters (slashes too), `?` one, `[...]` a class. */
const globToRegExp = (glob: string): RegExp => {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      const members = (negated ? body.slice(1) : body).replace(/[\\^\]]/g, '\\$&');
      source += `[${negated ? '^' : ''}${members}]`;
      i = end;
    } else source += escapeChar(char);
  }
  return new RegExp(`^${source}$`, 's');
};

/** True when `value` matches the glob as a whole (fnmatch semantics, as Cloud Custodian's glob). */
const matchesGlob = (value: string, glob: string): boolean => {
  let pattern = cache.get(glob);
  if (!pattern) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    pattern = globToRegExp(glob);
    cache.set(glob, pattern);
  }
  return pattern.test(value);
};

/** True when any glob matches. */
const matchesAnyGlob = (value: string, globs: readonly string[]): boolean =>
  globs.some((glob) => matchesGlob(value, glob));

export { globToRegExp, matchesAnyGlob, matchesGlob };
