import { serviceLink, taskDefinitionLink, taskLink } from '#alerts/console-links.ts';
import { present, subjectFields } from '#alerts/kinds-common.ts';
import type { RenderedKind } from '#alerts/render.ts';
import type { PolicyViolationAlert } from '#kernel/alert.ts';

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

export { renderPolicyViolation };
