import { deploymentsLink, type Link, taskDefinitionLink } from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, serviceName, subjectFields } from '#kernel/alerts/subject.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import { type AnalysisReport, reportLines } from '../analysis/report.ts';
import type { GateMode } from '../config.ts';

/** How a gate's verdict came out, and what Harbormaster answered ECS. */
type GateOutcome =
  | 'passed'
  | 'failed'
  | 'would-fail'
  | 'inconclusive'
  | 'first-deployment'
  | 'gave-up';

/** A policy that failed the policy gate, with its findings in words (never values). */
interface GatePolicyFailure {
  policy: string;
  mode: string;
  findings: string[];
}

/** A gate's verdict on a deployment, in the deployment's thread, with the numbers behind it. */
interface DeliveryGateAlert extends AlertBase {
  kind: 'delivery-gate';
  gate: 'policy' | 'analysis';
  outcome: GateOutcome;
  mode: GateMode;
  stage: string;
  /** What Harbormaster answered ECS: FAILED makes ECS roll back. */
  answer: 'SUCCEEDED' | 'FAILED';
  deploymentArn: string;
  greenTaskDefinition: string | undefined;
  /** Green's production share when judged. */
  share: number | undefined;
  reason: string;
  analyses: AnalysisReport[];
  policies: GatePolicyFailure[];
  nextSteps: string[];
  links: Link[];
}

const GATES = { policy: 'policy gate', analysis: 'analysis gate' } as const;

const headline = (a: DeliveryGateAlert): string => {
  const at = a.share === undefined ? a.stage : `${a.stage} at ${a.share}% of production`;
  switch (a.outcome) {
    case 'passed':
      return `${GATES[a.gate]} passed (${at})`;
    case 'failed':
      return `${GATES[a.gate]} failed: ECS rolls back (${at})`;
    case 'would-fail':
      return `${GATES[a.gate]} would have failed (notify mode, ${at})`;
    case 'inconclusive':
      return `${GATES[a.gate]} inconclusive (${at})`;
    case 'first-deployment':
      return `${GATES[a.gate]}: first deployment, nothing to compare with`;
    case 'gave-up':
      return `${GATES[a.gate]} could not judge: ECS rolls back (${at})`;
  }
};

const SEVERITY_WORDS: Record<GateOutcome, string> = {
  passed: 'The deployment goes on.',
  failed: 'Harbormaster answered FAILED: ECS shifts traffic back to blue.',
  'would-fail':
    'In enforce mode this verdict would roll the deployment back; notify mode lets it go on.',
  inconclusive: 'The measurements could not tell good from bad.',
  'first-deployment':
    'The service has no earlier revision: there is no blue to compare green with.',
  'gave-up': 'The analysis could not be measured enough times in a row.',
};

/** Renders a gate verdict: the lead, each analysis with its measurements, each failing policy. */
const renderDeliveryGate = (alert: DeliveryGateAlert): RenderedKind => {
  const s = alert.subject;
  return {
    eventType: `DELIVERY_${alert.gate.toUpperCase()}_GATE_${alert.outcome.toUpperCase().replaceAll('-', '_')}`,
    title: `${serviceName(s)} ${headline(alert)}`,
    summary: `${SEVERITY_WORDS[alert.outcome]} ${alert.reason} Answer: ${alert.answer} (mode ${alert.mode}).`,
    fields: [
      ...subjectFields(s),
      { label: 'Stage', value: alert.stage },
      ...(alert.greenTaskDefinition
        ? [{ label: 'Green', value: shortTaskDefinition(alert.greenTaskDefinition) }]
        : []),
    ],
    details: [
      ...alert.analyses.flatMap(reportLines),
      ...alert.policies.flatMap((p) => [
        `Policy ${p.policy} (${p.mode}):`,
        ...p.findings.map((f) => `  ${f}`),
      ]),
    ],
    nextSteps: alert.nextSteps,
    links: present([
      deploymentsLink(s),
      ...alert.links,
      alert.greenTaskDefinition
        ? taskDefinitionLink(s.region, alert.greenTaskDefinition)
        : undefined,
    ]),
  };
};

export { type DeliveryGateAlert, type GateOutcome, type GatePolicyFailure, renderDeliveryGate };
