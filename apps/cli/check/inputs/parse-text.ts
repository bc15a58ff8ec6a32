import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Document as YamlDocument,
} from 'yaml';
import type { FieldPath } from '#policies/types.ts';

/** Text parsed into data, with a way to find where a field is. */
interface ParsedText {
  data: unknown;
  syntax: 'JSON' | 'YAML';
  /** True when unquoted template placeholders had to be quoted before the JSON parsed. */
  templated: boolean;
  /** 1-based line and column of the deepest node on the path (keys compared loosely). */
  locate(path: FieldPath): { line: number; column: number };
}

/** Text that is neither JSON nor YAML: why, where, and whether it looks like a template. */
class SyntaxProblem extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SyntaxProblem';
  }
}

// CloudFormation's short-form tags, and the long form each stands for.
const CFN_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  ...Object.fromEntries(
    [
      'Base64',
      'Cidr',
      'FindInMap',
      'GetAtt',
      'GetAZs',
      'ImportValue',
      'Join',
      'Select',
      'Split',
      'Sub',
      'Transform',
      'And',
      'Equals',
      'If',
      'Not',
      'Or',
      'ToJsonString',
      'Length',
    ].map((name) => [`!${name}`, `Fn::${name}`]),
  ),
};

/** Converts a YAML node to data, turning CloudFormation short-form tags into their long form. */
const toData = (node: unknown): unknown => {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toData(pair.value);
    }
    return wrapTag(node.tag, out);
  }
  if (isSeq(node)) return wrapTag(node.tag, node.items.map(toData));
  if (isScalar(node)) {
    const value = node.value;
    if (node.tag === '!GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    }
    return wrapTag(node.tag, value);
  }
  return node === null || node === undefined ? null : node;
};

const wrapTag = (tag: string | undefined, value: unknown): unknown => {
  const long = tag ? CFN_TAGS[tag] : undefined;
  return long ? { [long]: value } : value;
};

const loose = (key: unknown): string => String(key).replaceAll('_', '').toLowerCase();

// Walks to the deepest existing node on the path; for a map entry, its key is the position.
const offsetOf = (root: Node | null, path: FieldPath): number => {
  let node: unknown = root;
  let offset = (root as { range?: [number] } | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair =
        node.items.find((p) => isScalar(p.key) && p.key.value === segment) ??
        node.items.find((p) => isScalar(p.key) && loose(p.key.value) === loose(segment));
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
};

/**
 * Quotes template placeholders that stand outside JSON strings (`"cpu": ${cpu}`, as Terraform's
 * templatefile inputs have them) so that the rest can be read; a single pass over the text.
 */
const quoteBarePlaceholders = (text: string): { text: string; changed: boolean } => {
  let out = '';
  let inString = false;
  let changed = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (inString) {
      out += char;
      if (char === '\\') {
        out += text[i + 1] ?? '';
        i += 1;
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    const open = text.startsWith('${', i) ? '${' : text.startsWith('{{', i) ? '{{' : undefined;
    if (open) {
      const close = text.indexOf(open === '${' ? '}' : '}}', i + 2);
      if (close !== -1 && !text.slice(i, close).includes('\n')) {
        const end = close + (open === '${' ? 1 : 2);
        out += JSON.stringify(text.slice(i, end));
        i = end - 1;
        changed = true;
        continue;
      }
    }
    out += char;
  }
  return { text: out, changed };
};

const BARE_VARIABLE = /(?<![\w"'])\$[A-Za-z_][A-Za-z0-9_]*/;

const parseYaml = (text: string): { document: YamlDocument.Parsed; lines: LineCounter } => {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  return { document, lines };
};

const located =
  (document: YamlDocument.Parsed, lines: LineCounter): ParsedText['locate'] =>
  (path) => {
    const pos = lines.linePos(offsetOf(document.contents, path));
    return { line: pos.line, column: pos.col };
  };

const firstError = (document: YamlDocument.Parsed): string => {
  const [error] = document.errors;
  return `line ${error?.linePos?.[0]?.line ?? '?'}: ${error?.message.split('\n')[0] ?? 'unreadable'}`;
};

/**
 * Parses JSON (strictly: what is not JSON is not read as YAML) or YAML, by what the file says it
 * is: its extension, else its first character. JSON templates with bare placeholders are read
 * with the placeholders quoted.
 */
const parseText = (text: string, file: string): ParsedText => {
  const lower = file.toLowerCase();
  const yamlByName = /\.ya?ml(?:\.[a-z0-9]+)?$/.test(lower);
  const json = !yamlByName && (/\.json(?:\.[a-z0-9]+)?$/.test(lower) || /^\s*[[{]/.test(text));
  if (!json) {
    const { document, lines } = parseYaml(text);
    if (document.errors.length > 0)
      throw new SyntaxProblem(`not valid YAML (${firstError(document)})`);
    return {
      data: toData(document.contents),
      syntax: 'YAML',
      templated: false,
      locate: located(document, lines),
    };
  }
  let source = text;
  let templated = false;
  try {
    JSON.parse(source);
  } catch (error) {
    const quoted = quoteBarePlaceholders(text);
    try {
      JSON.parse(quoted.text);
      source = quoted.text;
      templated = quoted.changed;
    } catch {
      const variable = BARE_VARIABLE.exec(quoted.text)?.[0];
      const why = (error as Error).message.replace(/^JSON\.parse: /, '');
      throw new SyntaxProblem(
        variable
          ? `not valid JSON (${why}); it looks like a template with unrendered variables (${variable}, as in a jq program or a shell heredoc): check the rendered document`
          : `not valid JSON (${why})`,
      );
    }
  }
  const { document, lines } = parseYaml(source);
  return {
    data: toData(document.contents),
    syntax: 'JSON',
    templated,
    locate: located(document, lines),
  };
};

export { type ParsedText, parseText, quoteBarePlaceholders, SyntaxProblem };
