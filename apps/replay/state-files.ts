import { readFileSync } from 'node:fs';
import type { toServiceState } from '#aws/ecs/mapping.ts';
import { serviceFromArn } from '#kernel/events/arn.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A kind of state a replay accepts with `--state`: the output of one AWS CLI call. A capability
 * that needs more of the world (clusters, alarms...) adds its kind here, with how to recognise it.
 */
interface StateKind {
  name: string;
  /** The command that prints it, for messages. */
  command: string;
  recognise(json: unknown): boolean;
}

const isService = (value: unknown): boolean =>
  isObject(value) && typeof value.serviceArn === 'string';
const isTaskDefinition = (value: unknown): boolean =>
  isObject(value) && typeof value.taskDefinitionArn === 'string';

const STATE_KINDS: readonly StateKind[] = [
  {
    name: 'describe-services',
    command: 'aws ecs describe-services --cluster <cluster> --services <service> --include TAGS',
    // `services` (possibly empty when every service is in `failures` as MISSING), or one service.
    recognise: (json) =>
      (isObject(json) &&
        Array.isArray(json.services) &&
        json.services.every(isService) &&
        (json.services.length > 0 || Array.isArray(json.failures))) ||
      isService(json),
  },
  {
    name: 'describe-task-definition',
    command: 'aws ecs describe-task-definition --task-definition <family:revision> --include TAGS',
    recognise: (json) =>
      (isObject(json) && isTaskDefinition(json.taskDefinition)) || isTaskDefinition(json),
  },
  // Blue/green, linear and canary deployments: their service deployments and revisions.
  {
    name: 'describe-service-deployments',
    command: 'aws ecs describe-service-deployments --service-deployment-arns <arn>',
    recognise: (json) =>
      isObject(json) &&
      Array.isArray(json.serviceDeployments) &&
      json.serviceDeployments.every(
        (d) => isObject(d) && typeof d.serviceDeploymentArn === 'string',
      ),
  },
  {
    name: 'describe-service-revisions',
    command: 'aws ecs describe-service-revisions --service-revision-arns <arn>',
    recognise: (json) =>
      isObject(json) &&
      Array.isArray(json.serviceRevisions) &&
      json.serviceRevisions.every((r) => isObject(r) && typeof r.serviceRevisionArn === 'string'),
  },
  // The metrics the analysis gate reads: each series as GetMetricData names it (README, Replays).
  {
    name: 'metrics',
    command:
      'aws cloudwatch get-metric-data, one series per metric as {"metrics": [{"namespace", "name", "dimensions", "stat", "points": [[time, value]]}]}',
    recognise: (json) =>
      isObject(json) &&
      Array.isArray(json.metrics) &&
      json.metrics.every(
        (m) => isObject(m) && typeof m.namespace === 'string' && Array.isArray(m.points),
      ),
  },
];

/** A state file as given: its kind and content. */
interface StateFile {
  path: string;
  kind: string;
  json: unknown;
}

/** A `--state` file that is none of the accepted kinds (or not JSON), with what it looks like. */
class StateFileError extends Error {
  constructor(path: string, looksLike: string) {
    super(
      `${path} is not a state file a replay can use: it looks like ${looksLike}. Expected the output of ${STATE_KINDS.map((k) => `\`${k.command}\``).join(' or ')}.`,
    );
    this.name = 'StateFileError';
  }
}

const keysOf = (json: Json): string => {
  const keys = Object.keys(json);
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown}, ...` : shown;
};

/** What a JSON document looks like, in a few words, for a refusal. */
const looksLike = (json: unknown): string => {
  if (Array.isArray(json)) {
    const first = json[0];
    if (json.length === 0) return 'an empty JSON array';
    if (isObject(first) && typeof first['detail-type'] === 'string')
      return `a recording of ${json.length} EventBridge events (pass it as an argument, not --state)`;
    return `a JSON array of ${json.length} ${isObject(first) ? `objects with keys ${keysOf(first)}` : typeof first}`;
  }
  if (!isObject(json)) return `a JSON ${json === null ? 'null' : typeof json}`;
  if (Object.keys(json).length === 0) return 'an empty JSON object ({})';
  if (typeof json['detail-type'] === 'string')
    return `an EventBridge event ("${json['detail-type']}"; pass it as an argument, not --state)`;
  if (Array.isArray(json.tasks)) return '`aws ecs describe-tasks` output';
  if (Array.isArray(json.serviceArns)) return '`aws ecs list-services` output (ARNs only)';
  if (Array.isArray(json.services))
    return 'describe-services output whose services lack a serviceArn';
  return `a JSON object with keys ${keysOf(json)}`;
};

/** Reads a `--state` file and checks it is a state kind a replay understands. */
const readStateFile = (path: string): StateFile => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const message = (error as Error).message;
    throw new StateFileError(
      path,
      (error as NodeJS.ErrnoException).code ? `nothing (${message})` : `text that is not JSON`,
    );
  }
  const kind = STATE_KINDS.find((k) => k.recognise(json));
  if (!kind) throw new StateFileError(path, looksLike(json));
  return { path, kind: kind.name, json };
};

/** A service of describe-services output, as given. */
type ServiceJson = Parameters<typeof toServiceState>[0] & Record<string, unknown>;

const serviceKey = (cluster: string, service: string): string => `${cluster}/${service}`;

/** The services of `aws ecs describe-services` output (or one service), and those it lists MISSING. */
const servicesOf = (stateFile: unknown): { services: ServiceJson[]; missing: string[] } => {
  const state = stateFile as { services?: ServiceJson[]; failures?: { arn?: string }[] };
  if (typeof (stateFile as ServiceJson | undefined)?.serviceArn === 'string')
    return { services: [stateFile as ServiceJson], missing: [] };
  const missing = (state?.failures ?? []).flatMap((f) => {
    const named = f.arn ? serviceFromArn(f.arn) : undefined;
    return named?.cluster ? [serviceKey(named.cluster, named.service)] : [];
  });
  return { services: Array.isArray(state?.services) ? state.services : [], missing };
};

export {
  readStateFile,
  type ServiceJson,
  STATE_KINDS,
  type StateFile,
  StateFileError,
  type StateKind,
  serviceKey,
  servicesOf,
};
