import { shortTaskDefinition } from '../events/arn.ts';
import type { AlertSubject } from './model.ts';

type Field = { label: string; value: string };

/** The fields that locate an alert: cluster, service, deployment, task definition, job. */
const subjectFields = (s: AlertSubject): Field[] => {
  const fields: Field[] = [];
  if (s.cluster) fields.push({ label: 'Cluster', value: s.cluster });
  if (s.service) fields.push({ label: 'Service', value: s.service });
  if (s.job) fields.push({ label: 'Job', value: s.job });
  if (s.deploymentId) fields.push({ label: 'Deployment', value: s.deploymentId });
  if (s.taskDefinition) {
    fields.push({ label: 'Task definition', value: shortTaskDefinition(s.taskDefinition) });
  }
  fields.push({ label: 'Account / Region', value: `${s.account} / ${s.region}` });
  return fields;
};

/** "cluster/service", or whatever part of it is known. */
const serviceName = (s: AlertSubject): string =>
  [s.cluster, s.service].filter(Boolean).join('/') || s.job || 'ECS';

/** Drops undefined entries (optional links, fields). */
const present = <T>(items: readonly (T | undefined)[]): T[] =>
  items.filter((item): item is T => item !== undefined);

export { type Field, present, serviceName, subjectFields };
