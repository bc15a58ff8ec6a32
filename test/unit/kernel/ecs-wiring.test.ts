import { ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { ECS_OPERATIONS } from '#aws/ecs/adapter.ts';
import { isWired } from '#aws/ecs/operations.ts';
import { SERVICE_DEPLOYMENT_READS } from '#aws/ecs/service-deployments.ts';
import { parseConfig } from '#config/parse.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { permissionsOf } from '#kernel/execute.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { LAMBDA_ENV } from '#support/lambda-env.ts';

/** The ECS permissions of the operation groups a wired port provides. */
const wiredEcsPermissions = (ecs: Record<string, unknown> | undefined): string[] => {
  const client = new ECSClient({ region: 'us-east-1' });
  const wired = ECS_OPERATIONS.filter((group) =>
    Object.keys(group.create(client, {})).every((method) => isWired(ecs?.[method])),
  );
  return [...new Set(wired.flatMap((group) => group.permissions))].sort();
};

// The service deployment APIs are a port of their own (blue/green, linear and canary deployments).
const SERVICE_DEPLOYMENT_ACTIONS = new Set<string>([
  ...SERVICE_DEPLOYMENT_READS,
  'ecs:StopServiceDeployment',
  'ecs:ContinueServiceDeployment',
]);

describe('Composition root: ECS operations per function', () => {
  it.each(Object.keys(FUNCTIONS))(
    'wires for %s exactly the ECS operations its load step and its actions use',
    async (name) => {
      // Prepare
      const definition = FUNCTIONS[name];
      const runtime = createRuntime({
        functionName: name,
        config: parseConfig({}, 'test'),
        env: LAMBDA_ENV,
        telemetry: silentTelemetry,
      });
      const needed = [
        ...(definition?.reads ?? []),
        ...(definition ? permissionsOf(definition.runners) : []),
      ].filter((action) => action.startsWith('ecs:'));
      // Act
      const ports = await definition?.wire(runtime);
      // Assess
      expect(wiredEcsPermissions(ports?.ecs as Record<string, unknown> | undefined)).toStrictEqual(
        [...new Set(needed.filter((a) => !SERVICE_DEPLOYMENT_ACTIONS.has(a)))].sort(),
      );
      expect(ports?.serviceDeployments !== undefined).toBe(
        needed.some((a) => SERVICE_DEPLOYMENT_ACTIONS.has(a)),
      );
    },
  );

  it('makes an operation no group provides fail with a message naming it, not a TypeError', async () => {
    // Prepare
    const runtime = createRuntime({
      functionName: 'service-alerts',
      config: parseConfig({}, 'test'),
      env: LAMBDA_ENV,
      telemetry: silentTelemetry,
    });
    const ports = await FUNCTIONS['service-alerts']?.wire(runtime);
    // Act + Assess
    expect(() => ports?.ecs?.stopTask('prod', 'arn', 'why')).toThrow(
      /ECS operation stopTask is not wired for this function/,
    );
  });
});
