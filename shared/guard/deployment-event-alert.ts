import {
  deploymentsLink,
  serviceTasksLink,
  taskDefinitionLink,
} from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, serviceName, subjectFields } from '#kernel/alerts/subject.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';

/** A step of a service deployment as ECS reports it. */
interface DeploymentEventAlert extends AlertBase {
  kind: 'deployment-event';
  phase: 'started' | 'rollback-started' | 'completed' | 'failed';
  deploymentId: string;
  reason: string | undefined;
  taskDefinition: string | undefined;
  previousTaskDefinition: string | undefined;
}

const HEADLINES: Record<DeploymentEventAlert['phase'], string> = {
  started: 'deployment started',
  'rollback-started': 'ECS is rolling back a failed deployment',
  completed: 'deployment completed',
  failed: 'deployment failed',
};

const NEXT_STEPS: Record<DeploymentEventAlert['phase'], string[]> = {
  started: [],
  'rollback-started': [
    'Read the stopped reasons of the failed deployment\u2019s tasks before deploying again.',
    'CI pipelines that waited for "services stable" may have reported success: check them.',
  ],
  completed: [],
  failed: [
    'Check the deployments tab: if ECS is not rolling back, roll back to the last working task definition.',
    'Read the stopped reasons of the new tasks to find the cause.',
  ],
};

/** Renders a deployment lifecycle alert. */
const renderDeploymentEvent = (alert: DeploymentEventAlert): RenderedKind => {
  const s = alert.subject;
  const change =
    alert.previousTaskDefinition && alert.taskDefinition
      ? `${shortTaskDefinition(alert.previousTaskDefinition)} \u2192 ${shortTaskDefinition(alert.taskDefinition)}`
      : undefined;
  const details = present([
    change ? `Task definition: ${change}.` : undefined,
    alert.reason ? `Reason from ECS: ${alert.reason}` : undefined,
  ]);
  return {
    eventType: `DEPLOYMENT_${alert.phase.toUpperCase().replace('-', '_')}`,
    title: `${serviceName(s)} ${HEADLINES[alert.phase]}`,
    summary: `Deployment ${alert.deploymentId} of ${serviceName(s)}: ${HEADLINES[alert.phase]}.`,
    fields: subjectFields(s),
    details,
    nextSteps: NEXT_STEPS[alert.phase],
    links: present([
      deploymentsLink(s),
      alert.phase === 'failed' ? serviceTasksLink(s) : undefined,
      alert.taskDefinition ? taskDefinitionLink(s.region, alert.taskDefinition) : undefined,
    ]),
  };
};

export { type DeploymentEventAlert, renderDeploymentEvent };
