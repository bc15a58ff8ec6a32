import type { EcsPort } from '#aws/ecs/port.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { DeploymentWatch, RollbackRecord, ServiceGuardHistory, WatchRef } from './records.ts';

/** A CloudWatch alarm state value. */
type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Reads CloudWatch alarms. */
interface AlarmPort {
  /** The current state of each named alarm that exists (missing alarms are left out). */
  alarmStates(names: readonly string[]): Promise<Record<string, AlarmStateValue>>;
}

/** The deployment guard's memory (its DynamoDB table). Every write is safe to repeat. */
interface GuardStore {
  /** The watches and rollbacks of one service. */
  history(cluster: string, service: string): Promise<ServiceGuardHistory>;
  /** The deployments watching an alarm. */
  watchesForAlarm(alarmName: string): Promise<WatchRef[]>;
  /** The watches whose deadline or bake time is due at `now`. */
  dueWatches(now: Date): Promise<WatchRef[]>;
  /**
   * Starts a watch, due at `dueAt`. An existing watch of the same deployment and origin is kept
   * (a redelivered event changes nothing); returns whether this call created it.
   */
  startWatch(watch: DeploymentWatch, dueAt: Date): Promise<boolean>;
  /** Rewrites a watch (its bake time), due at `dueAt`. */
  updateWatch(watch: DeploymentWatch, dueAt: Date): Promise<void>;
  /** Forgets a watch and its alarm index entries. */
  endWatch(watch: DeploymentWatch): Promise<void>;
  /**
   * Records a rollback about to be made (kept if one of the same deployment is there already).
   * It is a record, not a claim: the rollback's lease (kernel/lease) makes it happen once.
   */
  recordRollback(record: RollbackRecord): Promise<void>;
  /** Forgets a rollback that UpdateService refused for good. */
  forgetRollback(record: RollbackRecord): Promise<void>;
  /** Adds failed tasks to a deployment's tally (a set union, so safe to repeat). */
  tallyFailures(tally: {
    cluster: string;
    service: string;
    deploymentId: string;
    threshold: number;
    taskArns: string[];
    /** When the tasks were counted (ISO-8601): the tally expires as long after as a watch. */
    at: string;
  }): Promise<void>;
  /** Adds the deployment UpdateService started to a rollback record. */
  recordRollbackDeployment(record: RollbackRecord, deploymentId: string): Promise<void>;
}

/** What the guard reads and writes: ECS, CloudWatch alarms and its table. */
interface GuardPorts {
  ecs: EcsPort;
  alarms: AlarmPort;
  guardStore: GuardStore;
  /** Blue/green, linear and canary deployments: read, and stopped with ROLLBACK. */
  serviceDeployments: ServiceDeploymentsPort;
}

export type { AlarmPort, AlarmStateValue, GuardPorts, GuardStore };
