import { VALUE_TARGETS, type ValueFilter } from './config.ts';
import { containerLabel, isObject, type PolicySubject } from './documents.ts';
import { OPERATORS, type OperatorName, prepareOperand } from './operators.ts';
import type { FieldPath, RuleOutcome } from './types.ts';
import { formatFieldPath, parseKey, resolveKey } from './value-path.ts';

const CONDITIONS: Record<OperatorName, (value: unknown) => string> = {
  eq: (v) => `equals ${JSON.stringify(v)}`,
  ne: (v) => `is not ${JSON.stringify(v)}`,
  in: (v) => `is one of ${JSON.stringify(v)}`,
  'not-in': (v) => `is not one of ${JSON.stringify(v)}`,
  regex: (v) => `matches /${String(v)}/`,
  glob: (v) => `matches ${JSON.stringify(v)}`,
  gt: (v) => `is greater than ${String(v)}`,
  lt: (v) => `is less than ${String(v)}`,
  present: () => 'is set',
  absent: () => 'is not set',
};

// The container a field belongs to, named as the rules name it.
const containerAt = (subject: PolicySubject, path: FieldPath): string | undefined => {
  if (path[0] === 'containerDefinitions' && typeof path[1] === 'number') {
    const container = subject.taskDefinition?.containerDefinitions?.[path[1]];
    return isObject(container) ? containerLabel(container, path[1]) : undefined;
  }
  if (path[0] === 'overrides' && path[1] === 'containerOverrides' && typeof path[2] === 'number') {
    const name = subject.run?.overrides?.containerOverrides?.[path[2]]?.name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
};

/**
 * A user's rule from a value filter. As in Cloud Custodian, the filter matches what is selected
 * for action: every field the key reaches whose value meets the condition is a violation. The
 * message repeats the condition from the configuration, never the value found.
 */
const compileValueFilter = (filter: ValueFilter): ((subject: PolicySubject) => RuleOutcome) => {
  const segments = parseKey(filter.key) ?? [];
  const operand = prepareOperand(filter.op, filter.value);
  const target = VALUE_TARGETS[filter.target];
  const test = OPERATORS[filter.op];
  const condition = CONDITIONS[filter.op](filter.value);
  const label = filter.description ?? filter.id;
  return (subject) => {
    const root = subject[target];
    if (root === undefined) return 'not-applicable';
    return resolveKey(root, segments)
      .filter((found) => test(found.value, operand))
      .map((found) => ({
        message: `${label}: ${formatFieldPath(found.path)} ${condition}`,
        location: { target, path: found.path, container: containerAt(subject, found.path) },
      }));
  };
};

export { compileValueFilter };
