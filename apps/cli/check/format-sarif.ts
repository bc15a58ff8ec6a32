import { relative, sep } from 'node:path';
import type { Severity } from '#kernel/alerts/model.ts';
import { ruleById } from '#policies/rules/index.ts';
import { type CheckFinding, type FileResult, isFailing } from './run-check.ts';

const LEVEL: Record<Severity, 'note' | 'warning' | 'error'> = {
  info: 'note',
  warning: 'warning',
  error: 'error',
  critical: 'error',
};

// GitHub ranks security alerts by this score (0.1-10): critical >= 9, high >= 7, medium >= 4.
const SECURITY_SEVERITY: Record<Severity, string> = {
  info: '2.0',
  warning: '5.0',
  error: '7.5',
  critical: '9.5',
};

const pascal = (id: string): string =>
  id.replace(/(^|-)([a-z0-9])/g, (_match, _sep, letter: string) => letter.toUpperCase());

// Paths relative to the working directory (the repository root in CI), with forward slashes.
const uriOf = (file: string): string => relative(process.cwd(), file).split(sep).join('/');

const ruleDescriptor = (id: string, sample: CheckFinding) => {
  const rule = ruleById(id);
  const severity = rule?.severity ?? sample.severity;
  const title = rule?.title ?? sample.message;
  const fix = rule?.fix ?? `See the value filter "${id}" of policy ${sample.policy}.`;
  const controls = rule?.controls ?? [];
  return {
    id,
    name: pascal(id),
    shortDescription: { text: title },
    fullDescription: { text: rule?.rationale ?? title },
    help: {
      text: fix,
      markdown: [
        `**${title}**`,
        '',
        rule?.rationale ?? '',
        '',
        `**How to fix:** ${fix}`,
        ...(controls.length > 0 ? ['', `AWS Control Tower: ${controls.join(', ')}`] : []),
      ].join('\n'),
    },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ['security', 'ecs', 'harbormaster', ...controls],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
};

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per rule evaluated (with help and Control Tower
 * mapping), one result per failing finding, located at its line in the file checked.
 */
const formatSarif = (results: readonly FileResult[], version: string): string => {
  const all = results.flatMap((r) => r.findings);
  const ids = [...new Set(all.map((f) => f.rule))];
  const rules = ids.map((id) => ruleDescriptor(id, all.find((f) => f.rule === id) as CheckFinding));
  const sarifResults = all.filter(isFailing).map((f) => ({
    ruleId: f.rule,
    ruleIndex: ids.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: {
      text: `${f.message}${f.note ? ` (${f.note})` : ''} [policy ${f.policy}, ${f.mode} mode]`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
        ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }] } : {}),
      },
    ],
    properties: { policy: f.policy, mode: f.mode, container: f.container },
  }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Harbormaster',
              semanticVersion: version,
              rules,
            },
          },
          results: sarifResults,
        },
      ],
    },
    null,
    2,
  );
};

export { formatSarif };
