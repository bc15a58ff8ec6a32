import { MathError, type MathNode } from './metric-math-parser.ts';

/** A time series: timestamp (ms) → value; missing timestamps are missing data. */
export type Series = Map<number, number>;

/** A metric math value: a scalar, a time series, or an array of time series. */
export type MathValue =
  | { kind: 'S'; value: number }
  | { kind: 'TS'; series: Series }
  | { kind: 'TS[]'; items: Series[] };

/** What an expression can see: the period grid, other queries' results, the metric queries. */
export interface MathScope {
  /** Every period start of the requested range (FILL and TIME_SERIES produce these). */
  grid: number[];
  periodSeconds: number;
  resolve(id: string): MathValue;
  /** Ids of the request's MetricStat queries, for METRICS(). */
  metricIds: string[];
}

// Functions AWS documents that this model does not evaluate (refused with a clear message).
const NOT_MODELLED = new Set([
  'ANOMALY_DETECTION_BAND',
  'INSIGHT_RULE_METRIC',
  'SEARCH',
  'SERVICE_QUOTA',
  'SORT',
  'SLICE',
  'MINUTE',
  'HOUR',
  'DAY',
  'DATE',
  'MONTH',
  'YEAR',
  'EPOCH',
  'CONCAT',
  'LAMBDA',
]);

const S = (value: number): MathValue => ({ kind: 'S', value });
const TS = (series: Series): MathValue => ({ kind: 'TS', series });
const finite = (series: Series): Series =>
  new Map([...series].filter(([, v]) => Number.isFinite(v)));
const sortedTimes = (...series: Series[]): number[] =>
  [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);

const arith = (op: string, a: number, b: number): number => {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    // "If the value of a data point causes a function to attempt to divide by zero, the data point is dropped."
    case '/':
      return b === 0 ? Number.NaN : a / b;
    case '^':
      return a ** b;
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '<=':
      return Number(a <= b);
    case '>=':
      return Number(a >= b);
    case '<':
      return Number(a < b);
    case '>':
      return Number(a > b);
    case 'AND':
      return Number(a !== 0 && b !== 0);
    case 'OR':
      return Number(a !== 0 || b !== 0);
    default:
      throw new MathError(`Unsupported operator ${op}.`);
  }
};

// Between two time series, "missing values are treated as 0" (arithmetic and comparisons alike).
const combine = (op: string, a: MathValue, b: MathValue): MathValue => {
  if (a.kind === 'TS[]')
    return { kind: 'TS[]', items: a.items.map((s) => seriesOf(combine(op, TS(s), b))) };
  if (b.kind === 'TS[]')
    return { kind: 'TS[]', items: b.items.map((s) => seriesOf(combine(op, a, TS(s)))) };
  if (a.kind === 'S' && b.kind === 'S') return S(arith(op, a.value, b.value));
  if (a.kind === 'TS' && b.kind === 'S')
    return TS(finite(new Map([...a.series].map(([t, v]) => [t, arith(op, v, b.value)]))));
  if (a.kind === 'S' && b.kind === 'TS')
    return TS(finite(new Map([...b.series].map(([t, v]) => [t, arith(op, a.value, v)]))));
  const [l, r] = [seriesOf(a), seriesOf(b)];
  return TS(
    finite(new Map(sortedTimes(l, r).map((t) => [t, arith(op, l.get(t) ?? 0, r.get(t) ?? 0)]))),
  );
};

const seriesOf = (value: MathValue): Series => {
  if (value.kind === 'TS') return value.series;
  throw new MathError(
    value.kind === 'S'
      ? 'Expected a time series, got a scalar.'
      : 'Expected a time series, got an array of time series.',
  );
};

const arrayOf = (value: MathValue): Series[] =>
  value.kind === 'TS[]' ? value.items : [seriesOf(value)];

const mapPoints = (value: MathValue, fn: (v: number) => number): MathValue => {
  if (value.kind === 'S') return S(fn(value.value));
  if (value.kind === 'TS')
    return TS(finite(new Map([...value.series].map(([t, v]) => [t, fn(v)]))));
  return {
    kind: 'TS[]',
    items: value.items.map((s) => finite(new Map([...s].map(([t, v]) => [t, fn(v)])))),
  };
};

const reduce = (values: number[], fn: string): number => {
  if (fn === 'SUM') return values.reduce((a, b) => a + b, 0);
  if (values.length === 0) return Number.NaN;
  if (fn === 'AVG') return values.reduce((a, b) => a + b, 0) / values.length;
  if (fn === 'MIN') return Math.min(...values);
  if (fn === 'MAX') return Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
};

// SUM/AVG/MIN/MAX/STDDEV: of one time series a scalar; of an array a time series.
const aggregate = (fn: string, value: MathValue): MathValue => {
  if (value.kind === 'TS') return S(reduce([...value.series.values()], fn));
  if (value.kind === 'S') throw new MathError(`${fn} needs a time series.`);
  const times = sortedTimes(...value.items);
  const zeroFilled = fn === 'SUM' || fn === 'AVG';
  return TS(
    finite(
      new Map(
        times.map((t) => [
          t,
          reduce(
            zeroFilled
              ? value.items.map((s) => s.get(t) ?? 0)
              : value.items.flatMap((s) => (s.has(t) ? [s.get(t) ?? 0] : [])),
            fn,
          ),
        ]),
      ),
    ),
  );
};

const fill = (series: Series, how: MathValue | string, grid: number[]): Series => {
  const known = [...series].sort(([a], [b]) => a - b);
  return new Map(
    grid
      .map((t) => {
        if (series.has(t)) return [t, series.get(t) ?? 0];
        if (typeof how !== 'string')
          return [t, how.kind === 'S' ? how.value : (seriesOf(how).get(t) ?? Number.NaN)];
        const before = known.filter(([k]) => k < t).at(-1);
        const after = known.find(([k]) => k > t);
        if (how === 'REPEAT') return [t, (before ?? after)?.[1] ?? Number.NaN];
        if (before === undefined || after === undefined)
          return [t, (before ?? after)?.[1] ?? Number.NaN];
        return [t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0])];
      })
      .filter(([, v]) => Number.isFinite(v)) as [number, number][],
  );
};

const conditional = (args: MathValue[]): MathValue => {
  const [cond, yes, no] = args;
  if (cond === undefined || yes === undefined)
    throw new MathError('IF needs a condition and a value.');
  if (cond.kind === 'S') return cond.value !== 0 ? yes : (no ?? TS(new Map()));
  const out: Series = new Map();
  for (const [t, c] of seriesOf(cond)) {
    const branch = c !== 0 ? yes : no;
    if (branch === undefined) continue;
    if (branch.kind === 'S') out.set(t, branch.value);
    else if (seriesOf(branch).has(t)) out.set(t, seriesOf(branch).get(t) ?? 0);
    else if (c !== 0) out.set(t, 0); // "has the value of 0 if … TRUE and the data point does not exist"
  }
  return TS(out);
};

const perSeries = (value: MathValue, fn: (s: Series) => Series): MathValue =>
  value.kind === 'TS[]' ? { kind: 'TS[]', items: value.items.map(fn) } : TS(fn(seriesOf(value)));

const call = (fn: string, args: MathNode[], scope: MathScope): MathValue => {
  if (NOT_MODELLED.has(fn)) throw new MathError(`${fn} is not modelled by local-aws.`);
  if (fn === 'METRICS') {
    const filter = args[0]?.kind === 'str' ? args[0].value : undefined;
    return {
      kind: 'TS[]',
      items: scope.metricIds
        .filter((id) => filter === undefined || id.includes(filter))
        .map((id) => seriesOf(scope.resolve(id))),
    };
  }
  const values = args.map((a) => (a.kind === 'kw' ? undefined : evaluate(a, scope)));
  const first = values[0];
  if (fn === 'FILL') {
    const how = args[1]?.kind === 'kw' ? args[1].name : values[1];
    if (
      first === undefined ||
      how === undefined ||
      (typeof how === 'string' && how !== 'REPEAT' && how !== 'LINEAR')
    )
      throw new MathError('FILL takes a time series and a value, REPEAT or LINEAR.');
    return perSeries(first, (s) => fill(s, how, scope.grid));
  }
  if (fn === 'IF') return conditional(values.filter((v): v is MathValue => v !== undefined));
  if (fn === 'TIME_SERIES' && first?.kind === 'S')
    return TS(new Map(scope.grid.map((t) => [t, first.value])));
  if (first === undefined) throw new MathError(`${fn} needs an argument.`);
  switch (fn) {
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX':
    case 'STDDEV':
      return aggregate(fn, first);
    case 'ABS':
      return mapPoints(first, Math.abs);
    case 'CEIL':
      return mapPoints(first, Math.ceil);
    case 'FLOOR':
      return mapPoints(first, Math.floor);
    case 'LOG':
      return mapPoints(first, Math.log);
    case 'LOG10':
      return mapPoints(first, Math.log10);
    case 'PERIOD':
      return S(scope.periodSeconds);
    case 'METRIC_COUNT':
      return S(arrayOf(first).length);
    case 'FIRST':
      return TS(arrayOf(first)[0] ?? new Map());
    case 'LAST':
      return TS(arrayOf(first).at(-1) ?? new Map());
    case 'REMOVE_EMPTY':
      return { kind: 'TS[]', items: arrayOf(first).filter((s) => s.size > 0) };
    case 'DATAPOINT_COUNT':
      if (first.kind === 'TS') return S(first.series.size);
      return TS(
        new Map(
          sortedTimes(...arrayOf(first)).map((t) => [
            t,
            arrayOf(first).filter((s) => s.has(t)).length,
          ]),
        ),
      );
    case 'RUNNING_SUM':
      return perSeries(first, (s) => {
        let total = 0;
        const out: Series = new Map();
        for (const [t, v] of [...s].sort(([a], [b]) => a - b)) {
          total += v;
          out.set(t, total);
        }
        return out;
      });
    case 'DIFF':
    case 'RATE':
    case 'DIFF_TIME':
      return perSeries(first, (s) => {
        const points = [...s].sort(([a], [b]) => a - b);
        return new Map(
          points.slice(1).map(([t, v], i) => {
            const [pt, pv] = points[i] ?? [t, v];
            const value =
              fn === 'DIFF'
                ? v - pv
                : fn === 'DIFF_TIME'
                  ? (t - pt) / 1000
                  : (v - pv) / ((t - pt) / 1000);
            return [t, value];
          }),
        );
      });
    default:
      throw new MathError(`Unsupported function: ${fn}.`);
  }
};

/** Evaluates a parsed expression. */
export const evaluate = (node: MathNode, scope: MathScope): MathValue => {
  switch (node.kind) {
    case 'num':
      return S(node.value);
    case 'id':
      return scope.resolve(node.name);
    case 'neg':
      return mapPoints(evaluate(node.operand, scope), (v) => -v);
    case 'array':
      return { kind: 'TS[]', items: node.items.flatMap((i) => arrayOf(evaluate(i, scope))) };
    case 'bin':
      return combine(node.op, evaluate(node.left, scope), evaluate(node.right, scope));
    case 'call':
      return call(node.fn, node.args, scope);
    default:
      throw new MathError(`Unexpected ${node.kind === 'str' ? `"${node.value}"` : node.name}.`);
  }
};
