import { taskDefinitionRef, taskFromArn } from '../events/arn.ts';
import type { AlertSubject } from './model.ts';

/** The AWS console's host for a region, including the China and GovCloud partitions. */
const consoleHost = (region: string): string => {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${region}.console.aws.amazon.com`;
};

const ecs = (region: string, path: string): string =>
  `${consoleHost(region)}/ecs/v2/${path}?region=${region}`;

// ECS names are at most 255 characters and well-formed; event text may be neither, and
// encodeURIComponent throws on a lone surrogate.
const segment = (value: string): string => encodeURIComponent(value.slice(0, 255).toWellFormed());

/** A labelled console link. */
interface Link {
  label: string;
  url: string;
}

/** The service's page (health tab), or undefined without a cluster and service. */
const serviceLink = (s: AlertSubject, tab = 'health', label = 'Service'): Link | undefined =>
  s.cluster && s.service
    ? {
        label,
        url: ecs(s.region, `clusters/${segment(s.cluster)}/services/${segment(s.service)}/${tab}`),
      }
    : undefined;

/** The service's deployments tab. */
const deploymentsLink = (s: AlertSubject): Link | undefined =>
  serviceLink(s, 'deployments', 'Deployments');

/** The service's tasks tab, where stopped tasks and their reasons are listed. */
const serviceTasksLink = (s: AlertSubject): Link | undefined => serviceLink(s, 'tasks', 'Tasks');

/** One task's page. */
const taskLink = (region: string, cluster: string, taskArn: string): Link => {
  const taskId = taskFromArn(taskArn)?.taskId ?? taskArn;
  return {
    label: `Task ${taskId.slice(0, 8)}`,
    url: ecs(region, `clusters/${segment(cluster)}/tasks/${segment(taskId)}/configuration`),
  };
};

/** A task definition revision's page. */
const taskDefinitionLink = (region: string, taskDefinition: string): Link => {
  const { family, revision } = taskDefinitionRef(taskDefinition);
  const path = revision === undefined ? family : `${family}/${revision}`;
  return {
    label: `Task definition ${revision === undefined ? family : `${family}:${revision}`}`,
    url: ecs(region, `task-definitions/${segment(path).replace('%2F', '/')}/containers`),
  };
};

/** A Lambda function's log group in CloudWatch Logs. */
const functionLogsLink = (region: string, functionName: string): Link => {
  const group = `/aws/lambda/${functionName}`.replaceAll('/', '$252F');
  return {
    label: 'Function logs',
    url: `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}`,
  };
};

/** The SQS console, where dead-lettered records can be inspected and redriven. */
const queuesLink = (region: string): Link => ({
  label: 'Dead-letter queue',
  url: `${consoleHost(region)}/sqs/v3/home?region=${region}#/queues`,
});

export {
  consoleHost,
  deploymentsLink,
  functionLogsLink,
  type Link,
  queuesLink,
  serviceLink,
  serviceTasksLink,
  taskDefinitionLink,
  taskLink,
};
