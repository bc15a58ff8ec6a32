import type { AwsError } from '../core/aws-error.ts';
import { validation } from './attribute-values.ts';
import { type Token, tokenize } from './expression-tokens.ts';
import { RESERVED_WORDS } from './reserved-words.ts';

/** One step of a document path. */
export type PathElement = { kind: 'name'; name: string } | { kind: 'index'; index: number };

/** A document path (`a.b[2].c`), names already resolved through ExpressionAttributeNames. */
export type Path = PathElement[];

/** An operand of a condition or of a SET action. */
export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; ref: string }
  | { kind: 'size'; path: Path }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; a: Operand; b: Operand }
  | { kind: 'plus' | 'minus'; a: Operand; b: Operand };

/** A parsed condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
export type Condition =
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; a: Operand; b: Operand }
  | { kind: 'between'; a: Operand; low: Operand; high: Operand }
  | { kind: 'in'; a: Operand; list: Operand[] }
  | { kind: 'function'; name: string; args: Operand[] }
  | { kind: 'and' | 'or'; a: Condition; b: Condition }
  | { kind: 'not'; a: Condition };

/** A parsed UpdateExpression. */
export interface UpdatePlan {
  set: { path: Path; value: Operand }[];
  remove: Path[];
  add: { path: Path; value: Operand }[];
  delete: { path: Path; value: Operand }[];
}

/** Placeholder maps of a request, and which entries the expressions used. */
export interface ExpressionScope {
  names: Record<string, string>;
  values: Record<string, unknown>;
  usedNames: Set<string>;
  usedValues: Set<string>;
}

const CONDITION_FUNCTIONS = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
]);

/** Recursive-descent parser for one expression of one kind (the kind names the errors). */
class Parser {
  readonly #tokens: Token[];
  readonly #kind: string;
  readonly #scope: ExpressionScope;
  #pos = 0;

  constructor(kind: string, text: string, scope: ExpressionScope) {
    this.#kind = kind;
    this.#scope = scope;
    this.#tokens = tokenize(text, (t) => this.syntax(t));
    if (this.#tokens.length === 0)
      throw validation(`Invalid ${kind}: The expression can not be empty;`);
  }

  syntax(token?: string): AwsError {
    const near = this.#tokens
      .slice(Math.max(0, this.#pos - 1), this.#pos + 2)
      .map((t) => t.text)
      .join(' ');
    const shown = token ?? this.#tokens[this.#pos]?.text ?? '<EOF>';
    return validation(`Invalid ${this.#kind}: Syntax error; token: "${shown}", near: "${near}"`);
  }

  peek(offset = 0): Token | undefined {
    return this.#tokens[this.#pos + offset];
  }

  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.type === 'word' && t.text.toUpperCase() === word;
  }

  accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.#pos += 1;
    return true;
  }

  expect(text: string): void {
    if (!this.accept(text)) throw this.syntax();
  }

  atEnd(): boolean {
    return this.#pos >= this.#tokens.length;
  }

  next(): Token {
    const t = this.#tokens[this.#pos];
    if (t === undefined) throw this.syntax();
    this.#pos += 1;
    return t;
  }

  pathElementName(token: Token): string {
    if (token.type === 'name') {
      const resolved = this.#scope.names[token.text];
      if (resolved === undefined) {
        throw validation(
          `Invalid ${this.#kind}: An expression attribute name used in the document path is not defined; attribute name: ${token.text}`,
        );
      }
      this.#scope.usedNames.add(token.text);
      return resolved;
    }
    if (token.type !== 'word') throw this.syntax(token.text);
    if (RESERVED_WORDS.has(token.text.toUpperCase())) {
      throw validation(
        `Invalid ${this.#kind}: Attribute name is a reserved keyword; reserved keyword: ${token.text}`,
      );
    }
    return token.text;
  }

  path(): Path {
    const path: Path = [{ kind: 'name', name: this.pathElementName(this.next()) }];
    for (;;) {
      if (this.accept('.')) path.push({ kind: 'name', name: this.pathElementName(this.next()) });
      else if (this.accept('[')) {
        const n = this.next();
        if (n.type !== 'number') throw this.syntax(n.text);
        path.push({ kind: 'index', index: Number(n.text) });
        this.expect(']');
      } else return path;
    }
  }

  valueRef(): Operand {
    const t = this.next();
    if (!(t.text in this.#scope.values)) {
      throw validation(
        `Invalid ${this.#kind}: An expression attribute value used in expression is not defined; attribute value: ${t.text}`,
      );
    }
    this.#scope.usedValues.add(t.text);
    return { kind: 'value', ref: t.text };
  }

  operand(): Operand {
    const t = this.peek();
    if (t === undefined) throw this.syntax();
    if (t.type === 'value') return this.valueRef();
    if (t.type === 'word' && this.peek(1)?.text === '(') {
      const name = t.text;
      this.#pos += 2;
      let result: Operand;
      if (name === 'size') result = { kind: 'size', path: this.path() };
      else if (name === 'if_not_exists' && this.#kind === 'UpdateExpression') {
        const path = this.path();
        this.expect(',');
        result = { kind: 'if_not_exists', path, fallback: this.setValue() };
      } else if (name === 'list_append' && this.#kind === 'UpdateExpression') {
        const a = this.setValue();
        this.expect(',');
        result = { kind: 'list_append', a, b: this.setValue() };
      } else throw validation(`Invalid ${this.#kind}: Invalid function name; function: ${name}`);
      this.expect(')');
      return result;
    }
    return { kind: 'path', path: this.path() };
  }

  setValue(): Operand {
    const a = this.operand();
    if (this.accept('+')) return { kind: 'plus', a, b: this.operand() };
    if (this.accept('-')) return { kind: 'minus', a, b: this.operand() };
    return a;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.#pos += 1;
      left = { kind: 'or', a: left, b: this.conjunction() };
    }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.#pos += 1;
      left = { kind: 'and', a: left, b: this.negation() };
    }
    return left;
  }

  negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.#pos += 1;
      return { kind: 'not', a: this.negation() };
    }
    return this.primary();
  }

  primary(): Condition {
    if (this.accept('(')) {
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const t = this.peek();
    if (t?.type === 'word' && CONDITION_FUNCTIONS.has(t.text) && this.peek(1)?.text === '(') {
      this.#pos += 2;
      const args: Operand[] = [this.operand()];
      while (this.accept(',')) args.push(this.operand());
      this.expect(')');
      return { kind: 'function', name: t.text, args };
    }
    const a = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.#pos += 1;
      const low = this.operand();
      if (!this.isKeyword('AND')) throw this.syntax();
      this.#pos += 1;
      return { kind: 'between', a, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.#pos += 1;
      this.expect('(');
      const list = [this.operand()];
      while (this.accept(',')) list.push(this.operand());
      this.expect(')');
      return { kind: 'in', a, list };
    }
    const op = this.next().text;
    if (op !== '=' && op !== '<>' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=')
      throw this.syntax(op);
    return { kind: 'compare', op, a, b: this.operand() };
  }

  update(): UpdatePlan {
    const plan: UpdatePlan = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (!this.atEnd()) {
      const clause = this.next().text.toUpperCase();
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) throw this.syntax(clause);
      if (seen.has(clause)) {
        throw validation(
          `Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`,
        );
      }
      seen.add(clause);
      do {
        if (clause === 'SET') {
          const path = this.path();
          this.expect('=');
          plan.set.push({ path, value: this.setValue() });
        } else if (clause === 'REMOVE') plan.remove.push(this.path());
        else {
          const path = this.path();
          const value = this.valueRef();
          (clause === 'ADD' ? plan.add : plan.delete).push({ path, value });
        }
      } while (this.accept(','));
    }
    return plan;
  }

  finish<T>(value: T): T {
    if (!this.atEnd()) throw this.syntax();
    return value;
  }
}

/** Parses a condition-style expression. */
export const parseCondition = (kind: string, text: string, scope: ExpressionScope): Condition => {
  const parser = new Parser(kind, text, scope);
  return parser.finish(parser.condition());
};

/** Parses an UpdateExpression. */
export const parseUpdate = (text: string, scope: ExpressionScope): UpdatePlan => {
  const parser = new Parser('UpdateExpression', text, scope);
  return parser.finish(parser.update());
};

/** Parses a ProjectionExpression (comma-separated paths). */
export const parseProjection = (text: string, scope: ExpressionScope): Path[] => {
  const parser = new Parser('ProjectionExpression', text, scope);
  const paths = [parser.path()];
  while (parser.accept(',')) paths.push(parser.path());
  return parser.finish(paths);
};

/** Text of a path for error messages (`[a, b, [0]]` style as DynamoDB prints). */
export const pathText = (path: Path): string =>
  `[${path.map((e) => (e.kind === 'name' ? e.name : `[${e.index}]`)).join(', ')}]`;
