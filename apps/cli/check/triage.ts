import { readFileSync, writeFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { matchesGlob } from '#policies/glob.ts';
import { type CheckFinding, isFailing, type SubjectResult } from './run-check.ts';

/** A problem with a baseline or suppressions file: the command cannot run as asked (exit 2). */
class TriageFileError extends Error {
  public constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'TriageFileError';
  }
}

/** A path as baselines and suppressions name it: relative to the working directory, with "/". */
const portablePath = (file: string): string =>
  file.startsWith('<') ? file : relative(process.cwd(), file).split(sep).join('/');

// What identifies a finding across runs (Checkov's and Trivy's baselines do the same): not its
// line, which moves with every edit above it.
const keyOf = (f: Pick<CheckFinding, 'rule' | 'file' | 'resource' | 'container'>): string =>
  JSON.stringify([f.rule, portablePath(f.file), f.resource ?? null, f.container ?? null]);

const baselineSchema = v.object({
  version: v.literal(1),
  findings: v.array(
    v.object({
      rule: v.string(),
      file: v.string(),
      resource: v.nullable(v.string()),
      container: v.nullable(v.string()),
    }),
  ),
});

const readStructured = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TriageFileError(file, `cannot read it (${(error as Error).message})`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new TriageFileError(
      file,
      `not valid JSON or YAML (${(error as Error).message.split('\n')[0]})`,
    );
  }
};

const issuesOf = (issues: v.BaseIssue<unknown>[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
    .join('; ');

/** The keys a baseline file records. */
const readBaseline = (file: string): Set<string> => {
  const result = v.safeParse(baselineSchema, readStructured(file));
  if (!result.success)
    throw new TriageFileError(file, `not a Harbormaster baseline (${issuesOf(result.issues)})`);
  return new Set(
    result.output.findings.map((f) => JSON.stringify([f.rule, f.file, f.resource, f.container])),
  );
};

/** Writes the failing findings as a baseline: later runs fail only on findings it does not hold. */
const writeBaseline = (file: string, results: readonly SubjectResult[]): number => {
  const seen = new Map<string, object>();
  for (const f of results.flatMap((r) => r.findings)) {
    if (!isFailing(f)) continue;
    seen.set(keyOf(f), {
      rule: f.rule,
      file: portablePath(f.file),
      resource: f.resource ?? null,
      container: f.container ?? null,
    });
  }
  const findings = [...seen.values()];
  writeFileSync(
    file,
    `${JSON.stringify({ version: 1, tool: 'harbormaster', findings }, null, 2)}\n`,
  );
  return findings.length;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const suppressionsSchema = v.object({
  suppressions: v.array(
    v.strictObject({
      rule: v.pipe(v.string(), v.minLength(1)),
      file: v.optional(v.pipe(v.string(), v.minLength(1))),
      resource: v.optional(v.pipe(v.string(), v.minLength(1))),
      container: v.optional(v.pipe(v.string(), v.minLength(1))),
      reason: v.pipe(v.string(), v.minLength(3, 'say why the finding is accepted')),
      expires: v.pipe(
        v.union([v.string(), v.date()]),
        v.transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)),
        v.regex(DATE, 'expected a date, YYYY-MM-DD'),
      ),
    }),
  ),
});

type Suppression = v.InferOutput<typeof suppressionsSchema>['suppressions'][number];

/** Reads a suppressions file (YAML or JSON): each entry a rule, a scope, a reason and an expiry. */
const readSuppressions = (file: string): Suppression[] => {
  const result = v.safeParse(suppressionsSchema, readStructured(file));
  if (!result.success)
    throw new TriageFileError(file, `not a suppressions file (${issuesOf(result.issues)})`);
  return result.output.suppressions;
};

const covers = (s: Suppression, f: CheckFinding): boolean =>
  (s.rule === '*' || s.rule === f.rule) &&
  (s.file === undefined || matchesGlob(portablePath(f.file), s.file)) &&
  (s.resource === undefined || s.resource === f.resource) &&
  (s.container === undefined || s.container === f.container);

/**
 * Marks failures a suppression (unexpired) or the baseline covers; they are reported but do not
 * fail the build. An expired suppression is named in the finding's note.
 */
const applyTriage = (
  results: readonly SubjectResult[],
  options: { baseline?: Set<string>; suppressions?: readonly Suppression[]; now: Date },
): void => {
  const today = options.now.toISOString().slice(0, 10);
  for (const finding of results.flatMap((r) => r.findings)) {
    if (!isFailing(finding)) continue;
    const matching = (options.suppressions ?? []).filter((s) => covers(s, finding));
    const active = matching.find((s) => s.expires >= today);
    if (active) {
      finding.triage = { kind: 'suppressed', reason: active.reason, expires: active.expires };
      continue;
    }
    const expired = matching[0];
    if (expired) finding.note = `suppression expired on ${expired.expires}: ${expired.reason}`;
    if (options.baseline?.has(keyOf(finding))) finding.triage = { kind: 'baselined' };
  }
};

export {
  applyTriage,
  keyOf,
  portablePath,
  readBaseline,
  readSuppressions,
  type Suppression,
  TriageFileError,
  writeBaseline,
};
