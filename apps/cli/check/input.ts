import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { taskDefinitionRef } from '#kernel/events/arn.ts';
import { isObject, type TaskDefinitionDocument, tagRecord } from '#policies/documents.ts';
import type { FieldPath } from '#policies/types.ts';

/** Which of the two accepted shapes a file has. */
type InputShape = 'describe-task-definition' | 'register-task-definition';

/** A task definition read from a file, with a way to find a field's line in it. */
interface TaskDefinitionFile {
  file: string;
  shape: InputShape;
  definition: TaskDefinitionDocument;
  family: string | undefined;
  tags: Record<string, string>;
  /** Where a task definition field is in the file (1-based line and column). */
  locate(path: FieldPath): { line: number; column: number };
}

/** A file that cannot be checked: unreadable, not JSON, or not a task definition. */
class InputError extends Error {
  public constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputError';
  }
}

// Walks to the deepest existing node on the path; for a map entry, its key is the position.
const positionOf = (root: Node | null, path: FieldPath): number => {
  let node: unknown = root;
  let offset = (root as { range?: [number] } | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
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
 * Reads a task definition from a JSON (or YAML) file: the output of
 * `aws ecs describe-task-definition` (`{"taskDefinition": ..., "tags": [...]}`) or the input of
 * `aws ecs register-task-definition --cli-input-json` (`{"family": ..., "containerDefinitions": ...}`).
 */
const readTaskDefinitionFile = (file: string): TaskDefinitionFile => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(file, `cannot read the file (${(error as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    throw new InputError(
      file,
      `not valid JSON (line ${first?.linePos?.[0]?.line ?? '?'}: ${first?.message.split('\n')[0]})`,
    );
  }
  const data: unknown = document.toJS();
  let shape: InputShape;
  let definition: Record<string, unknown>;
  let prefix: FieldPath;
  if (isObject(data) && isObject(data.taskDefinition)) {
    shape = 'describe-task-definition';
    definition = data.taskDefinition;
    prefix = ['taskDefinition'];
  } else if (isObject(data) && Array.isArray(data.containerDefinitions)) {
    shape = 'register-task-definition';
    definition = data;
    prefix = [];
  } else {
    throw new InputError(
      file,
      'expected the output of aws ecs describe-task-definition ({"taskDefinition": ...}) or the input of aws ecs register-task-definition ({"family": ..., "containerDefinitions": [...]})',
    );
  }
  const arn = typeof definition.taskDefinitionArn === 'string' ? definition.taskDefinitionArn : '';
  const family =
    typeof definition.family === 'string'
      ? definition.family
      : arn
        ? taskDefinitionRef(arn).family
        : undefined;
  return {
    file,
    shape,
    definition: definition as TaskDefinitionDocument,
    family,
    tags: tagRecord(isObject(data) ? (data.tags ?? definition.tags) : undefined),
    locate: (path) => {
      const pos = lineCounter.linePos(positionOf(document.contents, [...prefix, ...path]));
      return { line: pos.line, column: pos.col };
    },
  };
};

export { InputError, type InputShape, readTaskDefinitionFile, type TaskDefinitionFile };
