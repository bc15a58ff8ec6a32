import { describe, expect, it } from 'vitest';
import { parseConfig } from '#config/parse.ts';
import type { ConfigInput } from '#config/schema.ts';
import { alarmOrigin, resolveGuardSettings } from '#guard/settings.ts';
import { readGuardTags } from '#guard/tags.ts';
import { serviceState } from '#support/services.ts';

const settingsOf = (
  config: ConfigInput,
  tags: Record<string, string> = {},
  serviceAlarms: string[] = [],
  enable = true,
) =>
  resolveGuardSettings(
    parseConfig(config, 'test').deploymentGuard,
    'default',
    'servicetest',
    serviceState({ tags, alarms: { alarmNames: serviceAlarms, enable, rollback: false } }),
  );

describe('Deployment guard settings: configuration layers, then service tags', () => {
  it('defaults to rolling back after 3 failed tasks, a 30-minute deadline, alarms, ECS failures and 10 minutes of bake time, redeploying after CLEAN_UP', () => {
    // Act
    const settings = settingsOf({});
    // Assess
    expect(settings).toStrictEqual({
      failedTasks: { mode: 'rollback', count: 3 },
      deadline: { mode: 'rollback', minutes: 30 },
      alarms: { mode: 'rollback', names: [], alreadyInAlarm: 'report', sources: {}, ignored: [] },
      ecsFailure: { mode: 'rollback' },
      bakeMinutes: 10,
      afterCleanUp: 'redeploy',
      problems: [],
    });
  });

  it.each<[string, ConfigInput, Record<string, string>, object]>([
    [
      'a service layer chooses an alert only after CLEAN_UP',
      { deploymentGuard: { services: [{ service: 'servicetest', afterCleanUp: 'alert' }] } },
      {},
      { afterCleanUp: 'alert' },
    ],
    [
      'a global mode sets every trigger',
      { deploymentGuard: { mode: 'notify' } },
      {},
      {
        failedTasks: { mode: 'notify' },
        deadline: { mode: 'notify' },
        ecsFailure: { mode: 'notify' },
      },
    ],
    [
      'a trigger\u2019s own mode wins in its layer',
      { deploymentGuard: { mode: 'notify', deadline: { mode: 'rollback' } } },
      {},
      { failedTasks: { mode: 'notify' }, deadline: { mode: 'rollback' } },
    ],
    [
      'a matching service entry applies over the global layer',
      {
        deploymentGuard: {
          failedTasks: { count: 5 },
          services: [
            {
              cluster: 'default',
              service: 'servicetest',
              mode: 'notify',
              failedTasks: { count: 2 },
            },
          ],
        },
      },
      {},
      { failedTasks: { mode: 'notify', count: 2 } },
    ],
    [
      'a wildcard entry matches any service of the cluster',
      {
        deploymentGuard: {
          services: [{ cluster: 'default', service: '*', deadline: { minutes: 12 } }],
        },
      },
      {},
      { deadline: { minutes: 12 } },
    ],
    [
      'an entry for another service does not apply',
      { deploymentGuard: { services: [{ service: 'payments', mode: 'off' }] } },
      {},
      { failedTasks: { mode: 'rollback' } },
    ],
    [
      'tags apply last',
      { deploymentGuard: { services: [{ service: 'servicetest', mode: 'off' }] } },
      { 'harbormaster:guard': 'rollback', 'harbormaster:guard:failed-tasks': 'notify 4' },
      { failedTasks: { mode: 'notify', count: 4 }, deadline: { mode: 'rollback' } },
    ],
    [
      'a tag turns the guard off for the service',
      {},
      { 'harbormaster:guard': 'off' },
      {
        failedTasks: { mode: 'off' },
        deadline: { mode: 'off' },
        alarms: { mode: 'off' },
        ecsFailure: { mode: 'off' },
      },
    ],
    [
      'tags set the deadline, bake time and ECS-failure mode',
      {},
      {
        'harbormaster:guard:deadline': '45',
        'harbormaster:guard:bake-minutes': '0',
        'harbormaster:guard:ecs-failure': 'notify',
      },
      { deadline: { minutes: 45 }, bakeMinutes: 0, ecsFailure: { mode: 'notify' } },
    ],
  ])('%s', (_label, config, tags, expected) => {
    // Assess
    expect(settingsOf(config, tags)).toMatchObject(expected);
  });

  it('adds up alarm names from every layer, the tags and the service\u2019s own alarms', () => {
    // Act
    const settings = settingsOf(
      {
        deploymentGuard: {
          alarms: { names: ['global'] },
          services: [{ service: 'servicetest', alarms: { names: ['entry'] } }],
        },
      },
      { 'harbormaster:guard:alarms': 'tag-a tag-b', 'harbormaster:guard:already-in-alarm': 'act' },
      ['svc', 'global'],
    );
    // Assess
    expect(settings.alarms).toStrictEqual({
      mode: 'rollback',
      names: ['global', 'entry', 'tag-a', 'tag-b', 'svc'],
      alreadyInAlarm: 'act',
      sources: {
        global: ['configuration', 'service'],
        entry: ['configuration'],
        'tag-a': ['tag'],
        'tag-b': ['tag'],
        svc: ['service'],
      },
      ignored: [],
    });
    expect(alarmOrigin(settings, 'svc')).toBe("from the service's deploymentConfiguration.alarms");
    expect(alarmOrigin(settings, 'global')).toBe(
      "from harbormaster.yml and the service's deploymentConfiguration.alarms",
    );
    expect(alarmOrigin(settings, 'tag-a')).toBe('from the harbormaster:guard:alarms tag');
  });

  it('does not watch the service’s alarms while its deploymentConfiguration.alarms.enable is false', () => {
    // Act: ECS keeps the names when a team switches its alarm rollback off
    const settings = settingsOf(
      { deploymentGuard: { alarms: { names: ['global'] } } },
      {},
      ['web-5xx', 'global'],
      false,
    );
    // Assess: the configuration's own alarm stays, the service's is ignored and said so
    expect(settings.alarms.names).toStrictEqual(['global']);
    expect(settings.alarms.ignored).toStrictEqual(['web-5xx']);
  });

  it('leaves the service\u2019s own alarms out when told so', () => {
    // Assess
    expect(
      settingsOf({ deploymentGuard: { alarms: { useServiceAlarms: false } } }, {}, ['svc']).alarms
        .names,
    ).toStrictEqual([]);
  });
});

describe('Deployment guard tags', () => {
  it.each<[Record<string, string>, object, string[]]>([
    [{ 'harbormaster:guard:failed-tasks': '5' }, { failedTasks: { count: 5 } }, []],
    [
      { 'harbormaster:guard:failed-tasks': ' rollback   2 ' },
      { failedTasks: { mode: 'rollback', count: 2 } },
      [],
    ],
    [
      { 'harbormaster:guard:alarms': 'notify web-5xx' },
      { alarms: { mode: 'notify', names: ['web-5xx'] } },
      [],
    ],
    [
      { 'harbormaster:guard': 'sometimes' },
      {},
      ['harbormaster:guard="sometimes": expected rollback, notify, off'],
    ],
    [
      { 'harbormaster:guard:failed-tasks': 'lots' },
      { failedTasks: {} },
      [
        'harbormaster:guard:failed-tasks="lots": "lots" is neither rollback/notify/off nor a number from 1 to 200',
      ],
    ],
    [
      { 'harbormaster:guard:deadline': '0' },
      { deadline: {} },
      [
        'harbormaster:guard:deadline="0": "0" is neither rollback/notify/off nor a number from 1 to 1440',
      ],
    ],
    [
      { 'harbormaster:guard:bake-minutes': '-1' },
      {},
      ['harbormaster:guard:bake-minutes="-1": expected 0 to 1440'],
    ],
    [
      { 'harbormaster:guard:already-in-alarm': 'ignore' },
      {},
      ['harbormaster:guard:already-in-alarm="ignore": expected report or act'],
    ],
    [{ team: 'payments' }, {}, []],
  ])('reads %j', (tags, layer, problems) => {
    // Act
    const read = readGuardTags(tags);
    // Assess
    expect(read.layer).toStrictEqual(layer);
    expect(read.problems).toStrictEqual(problems);
  });

  it('reports unreadable tags in the guard\u2019s alerts instead of failing', () => {
    // Assess
    expect(settingsOf({}, { 'harbormaster:guard': 'maybe' }).problems).toHaveLength(1);
  });
});
