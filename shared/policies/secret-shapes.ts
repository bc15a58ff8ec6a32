/**
 * What credentials look like, by name and by value. Text from task definitions is untrusted and
 * may be large (a 256 KB command line), so every pattern here runs in linear time: each unbounded
 * run starts only where the run itself starts (a lookbehind), and nothing after a run can make the
 * engine retry the run from inside (see test/unit/policies/secret-shapes.test.ts and the bench).
 */

// Names Control Tower's CT.ECS.PR.12 forbids, and others that are credentials by definition.
const CREDENTIAL_NAMES = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'ECS_ENGINE_AUTH_DATA',
  'SECRET_KEY_BASE',
]);

// Connection strings: credentials when the URL carries user-info (postgres://app:pw@db, a Sentry
// DSN's key@host); a URL without it (postgres://db.internal:5432/app) is only an address.
const CONNECTION_NAME = /(?:^|[_.-])(?:DATABASE_URL|DB_URL|DSN|CONNECTION_STRING|CONN_STR)$/i;

/** True when a name holds a connection string (DATABASE_URL, SENTRY_DSN). */
const isConnectionName = (name: string): boolean => CONNECTION_NAME.test(name);

/** True when a URL in the text carries user-info (user@ or user:password@ before the host). */
const hasUserInfo = (text: string): boolean => {
  const at = text.indexOf('://');
  if (at === -1) return false;
  for (let i = at + 3; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 64 /* @ */) return i > at + 3;
    if (USERINFO_END.has(code)) return false;
  }
  return false;
};

// A name whose last word is a credential word (DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY, ENC_KEY,
// SENTRY_DSN). Names that merely point to a secret end with another word and pass (PASSWORD_FILE,
// TOKEN_URL, SECRET_ARN, KEY_ID). Names are split on _ . - and compared word by word.
const CREDENTIAL_LAST_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETKEY',
  'TOKEN',
  'APIKEY',
  'KEY',
  'ACCESSKEY',
  'PRIVATEKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'DSN',
]);
// Last words that make a *_KEY name a reference, not a key (CACHE_KEY_PREFIX ends in PREFIX anyway).
const NOT_SECRET_KEY_PREFIXES = new Set(['PUBLIC', 'PUB', 'PRIMARY', 'PARTITION', 'SORT', 'CACHE']);

// The longest word the lists above hold: a longer word cannot be one of them.
const LONGEST_WORD = 12;
const isSeparator = (code: number): boolean => code === 95 || code === 46 || code === 45; // _ . -

/**
 * The word of a name that ends at `end` (trailing separators skipped), read backwards and never
 * more than one character past the longest listed word: constant work whatever the name's length.
 */
const wordBefore = (name: string, end: number): { word: string; start: number } => {
  let stop = end;
  while (stop > 0 && isSeparator(name.charCodeAt(stop - 1))) stop -= 1;
  let start = stop;
  while (start > 0 && !isSeparator(name.charCodeAt(start - 1)) && stop - start <= LONGEST_WORD)
    start -= 1;
  return { word: name.slice(start, stop).toUpperCase(), start };
};

/** True when a variable or label name is named like a credential. */
const isCredentialName = (name: string): boolean => {
  if (name.length <= 40 && CREDENTIAL_NAMES.has(name.toUpperCase())) return true;
  const last = wordBefore(name, name.length);
  if (!CREDENTIAL_LAST_WORDS.has(last.word)) return false;
  return !(last.word === 'KEY' && NOT_SECRET_KEY_PREFIXES.has(wordBefore(name, last.start).word));
};

/** Shapes of well-known credentials, by what they are (a finding names the shape, never the value). */
const CREDENTIAL_VALUES: readonly [string, RegExp][] = [
  [
    'an AWS access key ID',
    /(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Z0-9])/,
  ],
  ['a private key', /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/],
  ['a GitHub token', /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22})/],
  ['a Slack token', /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10}/],
  [
    'a Slack webhook URL',
    /hooks\.slack\.com\/services\/T[A-Za-z0-9]{1,40}\/B[A-Za-z0-9]{1,40}\/[A-Za-z0-9]/,
  ],
  ['a Stripe live key', /(?<![A-Za-z0-9])[rs]k_live_[A-Za-z0-9]{16}/],
  ['a Google API key', /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/],
  ['an OpenAI API key', /(?<![A-Za-z0-9_-])sk-(?:proj-)?[A-Za-z0-9_-]{20}T3BlbkFJ/],
  [
    'a JSON Web Token',
    /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8}/,
  ],
];

// Characters that end the user-info part of a URL (RFC 3986: "@" ends it; these cannot be in it),
// by char code: a lookup per character, no regular expression call.
const USERINFO_END = new Set([...' \t\n\r\f\v/@?#"\'<>`'].map((c) => c.charCodeAt(0)));
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/**
 * True when the text holds a URL with a password (scheme://user:password@host). A scan, not a
 * regular expression: each "://" is looked at once and its user-info is read up to the first
 * character that ends it, so the work is linear in the text.
 */
const hasUrlWithPassword = (text: string): boolean => {
  let from = 0;
  for (;;) {
    const at = text.indexOf('://', from);
    if (at === -1) return false;
    from = at + 3;
    // A scheme: at least one letter right before "://".
    if (at === 0 || !SCHEME_CHAR.test(text[at - 1] ?? '')) continue;
    let colon = -1;
    let i = from;
    for (; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code === 58 /* : */ && colon === -1) colon = i;
      if (USERINFO_END.has(code)) break;
    }
    // user:password@ with both parts non-empty; a placeholder password (${DB_PASS}) is not one.
    if (text[i] === '@' && colon > from && colon < i - 1) {
      const password = text.slice(colon + 1, i);
      if (!password.startsWith('${') && !password.startsWith('{{') && !password.startsWith('$')) {
        return true;
      }
    }
    from = Math.max(from, i);
  }
};

// Every shape in one pattern (a group per shape): one scan of the value instead of one per shape.
const ANY_CREDENTIAL = new RegExp(
  CREDENTIAL_VALUES.map(([, pattern]) => `(${pattern.source})`).join('|'),
);

/** What a value looks like, if it looks like a credential; never the value itself. */
const credentialShape = (value: string): string | undefined => {
  const match = ANY_CREDENTIAL.exec(value);
  if (match) {
    const index = match.slice(1).findIndex((group) => group !== undefined);
    return CREDENTIAL_VALUES[index]?.[0];
  }
  return value.includes('://') && hasUrlWithPassword(value) ? 'a URL with a password' : undefined;
};

export { credentialShape, hasUrlWithPassword, hasUserInfo, isConnectionName, isCredentialName };
