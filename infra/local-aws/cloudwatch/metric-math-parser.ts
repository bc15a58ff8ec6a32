/**
 * Parser of CloudWatch metric math ("Metric math syntax and functions", CloudWatch User Guide):
 * numbers, metric and expression ids (first character a lowercase letter), uppercase function
 * names, `+ - * / ^`, unary minus, comparisons `== != <= >= < >`, `AND &&`, `OR ||`, arrays
 * `[a, b]`, string arguments ("errors") and keywords (REPEAT, LINEAR, ASC, DESC).
 */

/** A parsed expression. */
export type MathNode =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'id'; name: string }
  | { kind: 'kw'; name: string }
  | { kind: 'call'; fn: string; args: MathNode[] }
  | { kind: 'bin'; op: string; left: MathNode; right: MathNode }
  | { kind: 'neg'; operand: MathNode }
  | { kind: 'array'; items: MathNode[] };

/** A syntax or evaluation error of one expression (GetMetricData answers it as a ValidationError). */
export class MathError extends Error {}

type Token = { type: 'num' | 'str' | 'word' | 'op'; text: string };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  '[',
  ']',
  ',',
];

const tokenize = (source: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const str = /^"([^"]*)"/.exec(rest);
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (num) tokens.push({ type: 'num', text: num[0] });
    else if (word) tokens.push({ type: 'word', text: word[0] });
    else if (str) tokens.push({ type: 'str', text: str[1] ?? '' });
    else if (op) tokens.push({ type: 'op', text: op });
    else throw new MathError(`Unrecognized character '${rest[0]}' at position ${i + 1}.`);
    i += num?.[0].length ?? word?.[0].length ?? str?.[0].length ?? op?.length ?? 1;
  }
  return tokens;
};

/** Parses one metric math expression. */
export const parseMath = (source: string): MathNode => {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (...texts: string[]): boolean => {
    const t = peek();
    return t !== undefined && (t.type === 'op' || t.type === 'word') && texts.includes(t.text);
  };
  const expect = (text: string): void => {
    if (!isOp(text)) throw new MathError(`Expected '${text}' at token ${pos + 1}.`);
    pos += 1;
  };
  const binary =
    (next: () => MathNode, ops: string[], normalise: (op: string) => string): (() => MathNode) =>
    () => {
      let left = next();
      while (isOp(...ops)) {
        const op = normalise(tokens[pos++]?.text ?? '');
        left = { kind: 'bin', op, left, right: next() };
      }
      return left;
    };
  const primary = (): MathNode => {
    const t = peek();
    if (t === undefined) throw new MathError('Unexpected end of expression.');
    pos += 1;
    if (t.type === 'num') return { kind: 'num', value: Number(t.text) };
    if (t.type === 'str') return { kind: 'str', value: t.text };
    if (t.type === 'op' && t.text === '(') {
      const inner = expression();
      expect(')');
      return inner;
    }
    if (t.type === 'op' && t.text === '[') {
      const items = [expression()];
      while (isOp(',')) {
        pos += 1;
        items.push(expression());
      }
      expect(']');
      return { kind: 'array', items };
    }
    if (t.type === 'word') {
      if (isOp('(')) {
        // "All functions must be written in uppercase letters."
        if (t.text !== t.text.toUpperCase())
          throw new MathError(`Unrecognized function: ${t.text}.`);
        pos += 1;
        const args: MathNode[] = [];
        if (!isOp(')')) {
          args.push(expression());
          while (isOp(',')) {
            pos += 1;
            args.push(expression());
          }
        }
        expect(')');
        return { kind: 'call', fn: t.text, args };
      }
      if (/^[a-z]/.test(t.text)) return { kind: 'id', name: t.text };
      return { kind: 'kw', name: t.text };
    }
    throw new MathError(`Unexpected '${t.text}' at token ${pos}.`);
  };
  const power = (): MathNode => {
    const base = unary();
    if (!isOp('^')) return base;
    pos += 1;
    return { kind: 'bin', op: '^', left: base, right: power() };
  };
  const unary = (): MathNode => {
    if (isOp('-')) {
      pos += 1;
      return { kind: 'neg', operand: unary() };
    }
    return primary();
  };
  const same = (op: string): string => op;
  const product = binary(power, ['*', '/'], same);
  const sum = binary(product, ['+', '-'], same);
  const comparison = (): MathNode => {
    const left = sum();
    if (!isOp('==', '!=', '<=', '>=', '<', '>')) return left;
    const op = tokens[pos++]?.text ?? '';
    return { kind: 'bin', op, left, right: sum() };
  };
  const and = binary(comparison, ['AND', '&&'], () => 'AND');
  const or = binary(and, ['OR', '||'], () => 'OR');
  const expression = (): MathNode => or();
  const tree = expression();
  if (pos !== tokens.length)
    throw new MathError(`Unexpected '${tokens[pos]?.text}' at token ${pos + 1}.`);
  return tree;
};
