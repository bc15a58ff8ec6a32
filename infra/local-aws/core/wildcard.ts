/**
 * Wildcard patterns as EventBridge and SNS filter policies take them (`*` matches any run of
 * characters; `\\*` and `\\\\` escape), shared by the event-pattern matcher and SNS filtering.
 */

/** The literal pieces between unescaped `*`s, or why the wildcard is malformed. */
export const parseWildcard = (text: string): { segments: string[] } | { error: string } => {
  const segments: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '\\') {
      if (next !== '*' && next !== '\\') {
        return { error: `invalid escape at position ${index}: only \\* and \\\\ are allowed` };
      }
      current += next;
      index += 1;
    } else if (char === '*') {
      if (next === '*') return { error: `consecutive wildcard characters at position ${index}` };
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return { segments };
};

/** Glob match with `*` only: leftmost placement of each middle piece is enough. */
export const matchesSegments = (segments: readonly string[], value: string): boolean => {
  const [first = '', ...rest] = segments;
  if (rest.length === 0) return value === first;
  const last = rest[rest.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let position = first.length;
  for (const segment of rest.slice(0, -1)) {
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
};
