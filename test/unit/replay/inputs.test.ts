import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topLevelElements } from '#apps/replay/json-positions.ts';
import { readStateFile } from '#apps/replay/state-files.ts';
import { fixture } from '#support/events.ts';

const file = (name: string, content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'hm-inputs-')), name);
  writeFileSync(path, content);
  return path;
};

describe('replay inputs', () => {
  it('finds the line each element of a pretty-printed JSON array starts on', () => {
    // Prepare: strings holding brackets, commas and escaped quotes must not confuse it
    const text = JSON.stringify(
      [fixture('deployment-completed-docs'), { a: '[,{"\\' }, 3],
      null,
      2,
    );
    // Act
    const lines = topLevelElements(text);
    // Assess
    const expected = text.split('\n').flatMap((l, i) => (/^ {2}[^\s}\]]/.test(l) ? [i + 1] : []));
    expect(lines).toStrictEqual(expected);
    expect(lines).toHaveLength(3);
  });

  it.each<[string, string]>([
    ['{}', 'an empty JSON object ({})'],
    ['[]', 'an empty JSON array'],
    [JSON.stringify({ tasks: [], failures: [] }), '`aws ecs describe-tasks` output'],
    [
      JSON.stringify({ serviceArns: ['arn:aws:ecs:us-east-1:1:service/a/b'] }),
      '`aws ecs list-services` output (ARNs only)',
    ],
    [
      JSON.stringify(fixture('deployment-completed-docs')),
      'an EventBridge event ("ECS Deployment State Change"; pass it as an argument, not --state)',
    ],
    ['{ not json', 'text that is not JSON'],
  ])('refuses %s as state: it looks like %s', (content, looksLike) => {
    // Act
    const path = file('state.json', content);
    // Assess
    expect(() => readStateFile(path)).toThrow(
      `${path} is not a state file a replay can use: it looks like ${looksLike}.`,
    );
  });

  it('accepts describe-services (with services, or all MISSING) and describe-task-definition output', () => {
    // Assess
    const services = {
      services: [{ serviceArn: 'arn:aws:ecs:us-east-1:1:service/prod/web' }],
      failures: [],
    };
    const missing = {
      services: [],
      failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/prod/web', reason: 'MISSING' }],
    };
    const revision = {
      taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:1' },
      tags: [],
    };
    expect(readStateFile(file('a.json', JSON.stringify(services))).kind).toBe('describe-services');
    expect(readStateFile(file('b.json', JSON.stringify(missing))).kind).toBe('describe-services');
    expect(readStateFile(file('c.json', JSON.stringify(revision))).kind).toBe(
      'describe-task-definition',
    );
  });
});
