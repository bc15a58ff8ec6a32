import { AsyncLocalStorage } from 'node:async_hooks';
import type { EcsPort } from '#aws/ecs/port.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';

/** The ECS API operation each EcsPort method calls (one call per page or batch of 100). */
const OPERATIONS: Record<keyof EcsPort, string> = {
  describeService: 'DescribeServices',
  describeTasks: 'DescribeTasks',
  listTasks: 'ListTasks',
  stopTask: 'StopTask',
  describeTaskDefinition: 'DescribeTaskDefinition',
  updateServiceTaskDefinition: 'UpdateService',
  describeServiceConfiguration: 'DescribeServices',
  tagResource: 'TagResource',
  deregisterTaskDefinition: 'DeregisterTaskDefinition',
  runTask: 'RunTask',
};

/** The ECS calls one invocation made, and what it was about. */
interface InvocationCalls {
  kind: string;
  summary: string;
  calls: string[];
}

/**
 * Wraps a function definition so that every invocation records the ECS calls it makes (load and
 * actions alike), kept apart per invocation even when invocations overlap (AsyncLocalStorage).
 */
const countEcsCalls = (definition: AnyFunctionDefinition) => {
  const current = new AsyncLocalStorage<InvocationCalls>();
  const invocations: InvocationCalls[] = [];
  const counting = (ecs: EcsPort): EcsPort =>
    Object.fromEntries(
      (Object.keys(OPERATIONS) as (keyof EcsPort)[]).map((method) => [
        method,
        async (...args: unknown[]) => {
          const result = await (ecs[method] as (...a: unknown[]) => Promise<unknown>)(...args);
          // Batched methods make one call per 100 items (the adapter's page and batch size).
          const items = method === 'describeTasks' ? (args[1] as unknown[]).length : 1;
          for (let i = 0; i < Math.max(1, Math.ceil(items / 100)); i += 1)
            current.getStore()?.calls.push(OPERATIONS[method]);
          return result;
        },
      ]),
    ) as unknown as EcsPort;
  const wrapped: AnyFunctionDefinition = {
    ...definition,
    parse: (raw) => {
      const event = definition.parse(raw);
      const record: InvocationCalls = {
        kind: (event as { kind?: string }).kind ?? 'unknown',
        summary: definition.context(event).summary,
        calls: [],
      };
      invocations.push(record);
      // The rest of this invocation (load, decide, execute) runs in this context.
      current.enterWith(record);
      return event;
    },
    wire: async (runtime) => {
      const ports = await definition.wire(runtime);
      return ports.ecs ? { ...ports, ecs: counting(ports.ecs) } : ports;
    },
  };
  return { definition: wrapped, invocations };
};

export { countEcsCalls, type InvocationCalls };
