import { isObject } from '../documents.ts';
import { defineRule, type Violation } from '../types.ts';

const publicIp = (launch: unknown): boolean | undefined => {
  if (!isObject(launch) || !isObject(launch.networkConfiguration)) return undefined;
  const vpc = launch.networkConfiguration.awsvpcConfiguration;
  if (!isObject(vpc)) return undefined;
  return vpc.assignPublicIp === 'ENABLED';
};

const PATH = ['networkConfiguration', 'awsvpcConfiguration', 'assignPublicIp'];

/** Services and RunTask do not give tasks public IP addresses. */
const noPublicIp = defineRule({
  id: 'no-public-ip',
  title: 'Services and RunTask do not assign public IP addresses to tasks',
  rationale:
    'A public IP puts the task\u2019s network interface on the internet; only its security group stands between it and every scanner. SCPs cannot stop RunTask from doing it (containers-roadmap #2731).',
  fix: 'Set networkConfiguration.awsvpcConfiguration.assignPublicIp to DISABLED and reach the internet through a NAT gateway or VPC endpoints.',
  appliesTo: 'services and tasks in the awsvpc network mode',
  severity: 'error',
  controls: ['CT.ECS.PR.9'],
  targets: ['service', 'run'],
  options: () => ({}),
  check: ({ service, run }) => {
    const verdicts = [
      { target: 'service' as const, public: publicIp(service), what: 'the service' },
      { target: 'run' as const, public: publicIp(run), what: 'RunTask' },
    ].filter((v) => v.public !== undefined);
    if (verdicts.length === 0) return 'not-applicable';
    return verdicts
      .filter((v) => v.public)
      .map(
        (v): Violation => ({
          message: `${v.what} assigns public IP addresses to its tasks (assignPublicIp ENABLED)`,
          location: { target: v.target, path: PATH },
        }),
      );
  },
});

export { noPublicIp };
