import { defineRule } from '../types.ts';
import { taskDefinitionViolation } from './violations.ts';

/** The task does not share the host's process namespace. */
const noHostPid = defineRule({
  id: 'no-host-pid',
  title: "The task does not share the host's process namespace (pidMode)",
  rationale:
    'With pidMode "host" every container sees, and can signal, every process on the instance, including other tasks and the ECS agent.',
  fix: 'Omit pidMode, or set it to "task".',
  appliesTo: 'task definitions',
  severity: 'error',
  controls: ['CT.ECS.PR.10'],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    if (!taskDefinition) return 'not-applicable';
    const mode: unknown = taskDefinition.pidMode;
    // Control Tower fails an empty pidMode as well as "host".
    if (mode === 'host' || mode === '') {
      return [
        taskDefinitionViolation(
          mode === 'host'
            ? 'the task shares the host\u2019s process namespace (pidMode "host")'
            : 'pidMode is empty',
          ['pidMode'],
        ),
      ];
    }
    return 'compliant';
  },
});

export { noHostPid };
