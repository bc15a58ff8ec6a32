import type { AnyRule } from '../types.ts';
import { awsvpcNetworkMode } from './awsvpc-network-mode.ts';
import { deploymentGuard } from './deployment-guard.ts';
import { essentialHealthCheck } from './essential-health-check.ts';
import { fargatePlatformLatest } from './fargate-platform-latest.ts';
import { healthCheckCommandForm } from './health-check-command-form.ts';
import { imagePinned } from './image-pinned.ts';
import { imageRegistry } from './image-registry.ts';
import { logConfiguration } from './log-configuration.ts';
import { minimumHealthyPercent } from './minimum-healthy-percent.ts';
import { multiAz } from './multi-az.ts';
import { noAddedCapabilities } from './no-added-capabilities.ts';
import { noDockerSocket } from './no-docker-socket.ts';
import { noHostPid } from './no-host-pid.ts';
import { noPlaintextSecrets } from './no-plaintext-secrets.ts';
import { noPublicIp } from './no-public-ip.ts';
import { noWritableHostMounts } from './no-writable-host-mounts.ts';
import { nonRootUser } from './non-root-user.ts';
import { notPrivileged } from './not-privileged.ts';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.ts';
import { resourceLimits } from './resource-limits.ts';
import { taskDefinitionValid } from './task-definition-valid.ts';
import { taskRole } from './task-role.ts';

/** Every built-in rule, by id (a policy filter's `type`), in the order reports list them. */
const RULES: Readonly<Record<string, AnyRule>> = Object.fromEntries(
  [
    taskDefinitionValid,
    imagePinned,
    imageRegistry,
    resourceLimits,
    logConfiguration,
    essentialHealthCheck,
    notPrivileged,
    readOnlyRootFilesystem,
    nonRootUser,
    noHostPid,
    noDockerSocket,
    noAddedCapabilities,
    noWritableHostMounts,
    healthCheckCommandForm,
    noPlaintextSecrets,
    taskRole,
    awsvpcNetworkMode,
    noPublicIp,
    deploymentGuard,
    minimumHealthyPercent,
    multiAz,
    fargatePlatformLatest,
  ].map((rule) => [rule.id, rule as AnyRule]),
);

/** The ids of the built-in rules. */
const RULE_IDS = Object.keys(RULES);

/** The built-in rule with this id, if any. */
const ruleById = (id: string): AnyRule | undefined =>
  Object.hasOwn(RULES, id) ? RULES[id] : undefined;

export { RULE_IDS, RULES, ruleById };
