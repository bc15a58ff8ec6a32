import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '#policies/rules/index.ts';

const RULES_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'policies', 'rules');

describe('The built-in rule registry', () => {
  it.each(Object.keys(RULES))(
    '%s lives in a file named after it and has a test of its own',
    (id) => {
      // Assess
      expect(existsSync(join(RULES_DIR, `${id}.ts`))).toBe(true);
      expect(existsSync(join(import.meta.dirname, `${id}.test.ts`))).toBe(true);
    },
  );

  it('maps every Control Tower ECS proactive control that reads task definitions or services', () => {
    // Prepare
    const controls = new Set(Object.values(RULES).flatMap((rule) => rule.controls));
    // Assess: CT.ECS.PR.2 is about clusters (container insights), not task definitions or services.
    for (const n of [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      expect(controls).toContain(`CT.ECS.PR.${n}`);
  });
});
