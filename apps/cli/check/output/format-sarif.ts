import type { Severity } from '#kernel/alerts/model.ts';
import { ruleById } from '#policies/rules/index.ts';
import { type CheckReport, markOf, shownFindings } from '../report.ts';
import type { CheckFinding } from '../run-check.ts';
import { portablePath } from '../triage.ts';

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
      text: `${fix}${rule?.appliesTo ? ` Applies to ${rule.appliesTo}.` : ''}`,
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

const location = (f: CheckFinding) => ({
  physicalLocation: {
    artifactLocation: { uri: portablePath(f.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: f.line, startColumn: f.column },
  },
  ...(f.path || f.resource
    ? {
        logicalLocations: [
          { fullyQualifiedName: [f.resource, f.path].filter(Boolean).join('.'), kind: 'member' },
        ],
      }
    : {}),
});

/**
 * SARIF 2.1.0 for GitHub code scanning (validated against the schema in the tests): a rule per
 * rule evaluated, with help and Control Tower mapping; a result per failure (suppressed ones with
 * their justification, baselined ones "unchanged"), unknowns as results to review; files not
 * checked as tool notifications.
 */
const formatSarif = (report: CheckReport): string => {
  const all = report.results.flatMap((r) => r.findings);
  const ids = [...new Set(all.map((f) => f.rule))];
  const rules = ids.map((id) => ruleDescriptor(id, all.find((f) => f.rule === id) as CheckFinding));
  const reported = shownFindings(report).filter(
    (f) =>
      f.status === 'unknown' ||
      ((f.status === 'non-compliant' || f.status === 'error') &&
        markOf(f, report.gate) !== 'passing'),
  );
  const results = reported.map((f) => {
    const unknown = f.status === 'unknown';
    return {
      ruleId: f.rule,
      ruleIndex: ids.indexOf(f.rule),
      kind: unknown ? 'review' : 'fail',
      level: unknown ? 'none' : LEVEL[f.severity],
      message: {
        text: `${f.message}${f.note ? ` (${f.note})` : ''} [policy ${f.policy}, ${f.mode} mode]`,
      },
      locations: [location(f)],
      ...(f.triage?.kind === 'suppressed'
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: `${f.triage.reason} (until ${f.triage.expires})`,
              },
            ],
          }
        : {}),
      ...(report.baselineUsed && !unknown
        ? { baselineState: f.triage?.kind === 'baselined' ? 'unchanged' : 'new' }
        : {}),
      properties: {
        policy: f.policy,
        mode: f.mode,
        container: f.container,
        resource: f.resource,
        severity: f.severity,
      },
    };
  });
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Harbormaster',
              semanticVersion: report.version,
              rules,
            },
          },
          invocations: [
            {
              executionSuccessful: !report.problems.some((p) => p.kind === 'unreadable'),
              toolExecutionNotifications: report.problems.map((p) => ({
                level: p.kind === 'unreadable' ? 'error' : 'warning',
                message: { text: `not checked: ${p.message}` },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: portablePath(p.file), uriBaseId: '%SRCROOT%' },
                    },
                  },
                ],
              })),
            },
          ],
          results,
        },
      ],
    },
    null,
    2,
  );
};

export { formatSarif };
