/**
 * ECS ARNs in both formats that appear in real events: the old `task/<id>` and `service/<name>`,
 * and the new `task/<cluster>/<id>` and `service/<cluster>/<name>`.
 */

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its parts; undefined when the string is not an ARN. */
const parseArn = (value: string): Arn | undefined => {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
};

const resourcePath = (arn: string, type: string): string[] | undefined => {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'ecs') return undefined;
  const segments = parsed.resource.split('/');
  return segments[0] === type && segments.length > 1 ? segments.slice(1) : undefined;
};

/** The cluster name of a cluster ARN, or the value itself when it is already a name. */
const clusterName = (clusterArnOrName: string): string => {
  if (!clusterArnOrName.startsWith('arn:')) return clusterArnOrName;
  return resourcePath(clusterArnOrName, 'cluster')?.join('/') ?? clusterArnOrName;
};

/** A service named by its ARN: the cluster is known only in the new ARN format. */
interface ServiceRef {
  cluster: string | undefined;
  service: string;
}

/** Cluster and service of a service ARN; undefined when it is not an ECS service ARN. */
const serviceFromArn = (serviceArn: string): ServiceRef | undefined => {
  const path = resourcePath(serviceArn, 'service');
  if (!path) return undefined;
  if (path.length === 1) return { cluster: undefined, service: path[0] ?? '' };
  return { cluster: path[0], service: path.slice(1).join('/') };
};

/** Cluster (new format only) and id of a task ARN. */
const taskFromArn = (
  taskArn: string,
): { cluster: string | undefined; taskId: string } | undefined => {
  const path = resourcePath(taskArn, 'task');
  if (!path) return undefined;
  if (path.length === 1) return { cluster: undefined, taskId: path[0] ?? '' };
  return { cluster: path[0], taskId: path[path.length - 1] ?? '' };
};

/** The parts of a service deployment or service revision ARN: `<type>/<cluster>/<service>/<id>`. */
interface ServiceDeploymentRef {
  cluster: string;
  service: string;
  id: string;
}

const serviceChild = (arn: string, type: string): ServiceDeploymentRef | undefined => {
  const path = resourcePath(arn, type);
  if (path?.length !== 3) return undefined;
  const [cluster = '', service = '', id = ''] = path;
  return cluster && service && id ? { cluster, service, id } : undefined;
};

/** Cluster, service and id of a service deployment ARN (`service-deployment/<c>/<s>/<id>`). */
const serviceDeploymentFromArn = (arn: string): ServiceDeploymentRef | undefined =>
  serviceChild(arn, 'service-deployment');

/** Cluster, service and id of a service revision ARN (`service-revision/<c>/<s>/<id>`). */
const serviceRevisionFromArn = (arn: string): ServiceDeploymentRef | undefined =>
  serviceChild(arn, 'service-revision');

/** Family and revision of a task definition ARN or `family:revision` string. */
const taskDefinitionRef = (value: string): { family: string; revision: number | undefined } => {
  const name = value.startsWith('arn:')
    ? (resourcePath(value, 'task-definition')?.join('/') ?? value)
    : value;
  const match = /^(.*):(\d+)$/.exec(name);
  return match?.[1] && match[2]
    ? { family: match[1], revision: Number(match[2]) }
    : { family: name, revision: undefined };
};

/** `family:revision` for display, from an ARN or a short form. */
const shortTaskDefinition = (value: string): string => {
  const { family, revision } = taskDefinitionRef(value);
  return revision === undefined ? family : `${family}:${revision}`;
};

export {
  type Arn,
  clusterName,
  parseArn,
  type ServiceDeploymentRef,
  type ServiceRef,
  serviceDeploymentFromArn,
  serviceFromArn,
  serviceRevisionFromArn,
  shortTaskDefinition,
  taskDefinitionRef,
  taskFromArn,
};
