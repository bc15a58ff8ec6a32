import { isObject, runsOnFargate, show } from '../documents.ts';
import { defineRule, type Violation } from '../types.ts';

/** Fargate services and RunTask use the LATEST platform version. */
const fargatePlatformLatest = defineRule({
  id: 'fargate-platform-latest',
  title: 'Fargate services and tasks run on the LATEST platform version',
  rationale:
    'A pinned Fargate platform version keeps tasks on an older kernel and runtime, and forgoes the fixes each new version brings.',
  fix: 'Omit platformVersion, or set it to LATEST.',
  appliesTo: 'services and tasks launched on Fargate',
  severity: 'warning',
  controls: ['CT.ECS.PR.1'],
  targets: ['service', 'run'],
  options: () => ({}),
  check: ({ service, run }) => {
    const launches = [
      { target: 'service' as const, doc: service, what: 'the service' },
      { target: 'run' as const, doc: run, what: 'RunTask' },
    ].filter(({ doc }) => isObject(doc) && runsOnFargate(doc));
    if (launches.length === 0) return 'not-applicable';
    return launches
      .filter(({ doc }) => doc?.platformVersion !== undefined && doc.platformVersion !== 'LATEST')
      .map(
        ({ target, doc, what }): Violation => ({
          message: `${what} pins Fargate platform version ${show(doc?.platformVersion)} instead of LATEST`,
          location: { target, path: ['platformVersion'] },
        }),
      );
  },
});

export { fargatePlatformLatest };
