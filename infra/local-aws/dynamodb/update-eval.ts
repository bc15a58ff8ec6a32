import {
  type AttributeValue,
  addNumbers,
  type Item,
  typeOf,
  validation,
} from './attribute-values.ts';
import { getPath, missingOperand, operandValue, wrongType } from './expression-eval.ts';
import { type Path, pathText, type UpdatePlan } from './expression-parser.ts';

const overlaps = (a: Path, b: Path): boolean => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x.kind !== y.kind) return false;
    if (x.kind === 'name' && y.kind === 'name' && x.name !== y.name) return false;
    if (x.kind === 'index' && y.kind === 'index' && x.index !== y.index) return false;
  }
  return true;
};

// Writes (or deletes, when value is undefined) the value at `path` inside `item`.
const setPath = (item: Item, path: Path, value: AttributeValue | undefined): void => {
  const invalid = () =>
    validation('The document path provided in the update expression is invalid for update');
  const [head, ...rest] = path;
  if (head?.kind !== 'name') throw invalid();
  if (rest.length === 0) {
    if (value === undefined) delete item[head.name];
    else item[head.name] = value;
    return;
  }
  let parent = item[head.name];
  for (const [i, step] of rest.entries()) {
    const last = i === rest.length - 1;
    if (parent === undefined) throw invalid();
    if (step.kind === 'name') {
      if (!('M' in parent)) throw invalid();
      if (last) {
        if (value === undefined) delete parent.M[step.name];
        else parent.M[step.name] = value;
        return;
      }
      parent = parent.M[step.name];
    } else {
      if (!('L' in parent)) throw invalid();
      if (last) {
        if (value === undefined) parent.L.splice(step.index, 1);
        else if (step.index >= parent.L.length) parent.L.push(value);
        else parent.L[step.index] = value;
        return;
      }
      parent = parent.L[step.index];
    }
  }
};

const SET_TYPES: Record<string, string> = { SS: 'SS', NS: 'NS', BS: 'BS' };

/** Applies an update plan to a copy of `item`; key attributes may not change. */
export const applyUpdate = (
  original: Item,
  plan: UpdatePlan,
  values: Record<string, unknown>,
  keyNames: string[],
): Item => {
  const paths = [
    ...plan.set.map((a) => a.path),
    ...plan.remove,
    ...plan.add.map((a) => a.path),
    ...plan.delete.map((a) => a.path),
  ];
  for (const [i, a] of paths.entries()) {
    const first = a[0];
    if (first?.kind === 'name' && keyNames.includes(first.name)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${first.name}. This attribute is part of the key`,
      );
    }
    for (const b of paths.slice(i + 1)) {
      if (overlaps(a, b)) {
        throw validation(
          `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`,
        );
      }
    }
  }
  // Every right-hand side is evaluated against the item as it was before the update.
  const sets = plan.set.map((a) => ({
    path: a.path,
    value: operandValue(original, a.value, values),
  }));
  const item = structuredClone(original);
  for (const { path, value } of sets) {
    if (value === undefined) throw missingOperand();
    setPath(item, path, value);
  }
  for (const path of plan.remove)
    if (getPath(item, path) !== undefined) setPath(item, path, undefined);
  for (const { path, value } of plan.add) {
    const delta = operandValue(original, value, values);
    const current = getPath(item, path);
    if (delta === undefined) throw missingOperand();
    const type = typeOf(delta);
    if (type !== 'N' && SET_TYPES[type] === undefined) throw wrongType();
    if (current === undefined) setPath(item, path, delta);
    else if ('N' in current && 'N' in delta)
      setPath(item, path, { N: addNumbers(current.N, delta.N) });
    else if (typeOf(current) === type && type !== 'N') {
      const merged = [
        ...new Set([
          ...(Object.values(current)[0] as string[]),
          ...(Object.values(delta)[0] as string[]),
        ]),
      ];
      setPath(item, path, { [type]: merged } as AttributeValue);
    } else throw wrongType();
  }
  for (const { path, value } of plan.delete) {
    const removal = operandValue(original, value, values);
    const current = getPath(item, path);
    if (removal === undefined || SET_TYPES[typeOf(removal)] === undefined) throw wrongType();
    if (current === undefined) continue;
    if (typeOf(current) !== typeOf(removal)) throw wrongType();
    const drop = new Set(Object.values(removal)[0] as string[]);
    const kept = (Object.values(current)[0] as string[]).filter((e) => !drop.has(e));
    setPath(
      item,
      path,
      kept.length === 0 ? undefined : ({ [typeOf(current)]: kept } as AttributeValue),
    );
  }
  return item;
};
