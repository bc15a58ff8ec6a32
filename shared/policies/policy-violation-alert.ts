import { serviceLink, taskDefinitionLink, taskLink } from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, subjectFields } from '#kernel/alerts/subject.ts';

/** Where a policy was enforced: a registration, a service deployment, RunTask, a task starting. */
type PolicyCheckpoint = 'register' | 'deploy' | 'run-task' | 'task-start';

/** A finding as alerts and reports carry it: names and field paths, never the values found. */
interface ReportedFinding {
  rule: string;
  status: string;
  message: string;
  container?: string | undefined;
  /** e.g. containerDefinitions[0].image, in the document named by `target`. */
  path?: string | undefined;
  target?: string | undefined;
  note?: string | undefined;
}

/** A resource that fails a policy in notify or enforce mode. */
interface PolicyViolationAlert extends AlertBase {
  kind: 'policy-violation';
  policy: string;
  description: string | undefined;
  mode: 'audit' | 'notify' | 'enforce';
  checkpoint: PolicyCheckpoint;
  /** The resource in words: "task definition web:7", "service prod/web", "task 1a2b (web:7)". */
  resource: string;
  findings: ReportedFinding[];
  /** What Harbormaster does about it (enforce mode), in words; empty when it only alerts. */
  enforcement: string[];
  /** Exemption tags that were ignored, and anything else worth knowing. */
  notes: string[];
  /** How to comply, one line per failing rule. */
  fixes: string[];
}

const CHECKPOINTS: Record<PolicyViolationAlert['checkpoint'], string> = {
  register: 'registered',
  deploy: 'deployed',
  'run-task': 'run with RunTask',
  'task-start': 'started',
};

const MAX_FINDINGS = 20;

/** Renders a policy violation: what breaks which rule where, what Harbormaster does, how to fix. */
const renderPolicyViolation = (alert: PolicyViolationAlert): RenderedKind => {
  const s = alert.subject;
  const rules = [...new Set(alert.findings.map((f) => f.rule))];
  const shown = alert.findings.slice(0, MAX_FINDINGS).map((f) => {
    const where = [f.path, f.container ? `container ${f.container}` : undefined]
      .filter(Boolean)
      .join(', ');
    return `\u2717 ${f.rule}: ${f.message}${where ? ` [${where}]` : ''}${f.note ? ` (${f.note})` : ''}`;
  });
  if (alert.findings.length > MAX_FINDINGS) {
    shown.push(`\u2026 and ${alert.findings.length - MAX_FINDINGS} more finding(s).`);
  }
  const enforcement =
    alert.enforcement.length > 0
      ? `Harbormaster enforces policy ${alert.policy}: ${alert.enforcement.join('; ')}.`
      : `Policy ${alert.policy} is in ${alert.mode} mode: nothing is changed.`;
  return {
    eventType: 'POLICY_VIOLATION',
    title: `${alert.resource} violates policy ${alert.policy} (${rules.join(', ')})`,
    summary: `A non-compliant ${alert.resource} was ${CHECKPOINTS[alert.checkpoint]}. ${enforcement}`,
    fields: [
      ...subjectFields(s),
      { label: 'Policy', value: `${alert.policy} (${alert.mode})` },
      { label: 'Rules', value: rules.join(', ') },
    ],
    details: [...(alert.description ? [alert.description] : []), ...shown, ...alert.notes],
    nextSteps: alert.fixes,
    links: present([
      s.taskDefinition ? taskDefinitionLink(s.region, s.taskDefinition) : undefined,
      serviceLink(s),
      s.taskArn && s.cluster ? taskLink(s.region, s.cluster, s.taskArn) : undefined,
    ]),
  };
};

export {
  type PolicyCheckpoint,
  type PolicyViolationAlert,
  type ReportedFinding,
  renderPolicyViolation,
};
