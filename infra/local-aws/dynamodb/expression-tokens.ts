import type { AwsError } from '../core/aws-error.ts';

/** A lexical token of an expression. */
export interface Token {
  type: 'word' | 'name' | 'value' | 'number' | 'punct';
  text: string;
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

/** Splits an expression into tokens; `fail` builds the syntax error for an unknown character. */
export const tokenize = (text: string, fail: (token: string) => AwsError): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const match =
      /^[#][A-Za-z0-9_]+/.exec(rest) ??
      /^[:][A-Za-z0-9_]+/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ??
      /^\d+/.exec(rest);
    if (match) {
      const t = match[0];
      const type = t.startsWith('#')
        ? 'name'
        : t.startsWith(':')
          ? 'value'
          : /^\d/.test(t)
            ? 'number'
            : 'word';
      tokens.push({ type, text: t });
      i += t.length;
      continue;
    }
    const punct = PUNCT.find((p) => rest.startsWith(p));
    if (punct === undefined) throw fail(rest.slice(0, 1));
    tokens.push({ type: 'punct', text: punct });
    i += punct.length;
  }
  return tokens;
};
