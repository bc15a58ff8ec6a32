import { describe, expect, it } from 'vitest';
import { imageRegistry } from '#policies/rules/image-registry.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

const image = (ref: string) => ({ taskDefinition: withContainer({ image: ref }) });

describe('Rule: image-registry', () => {
  it.each([
    ['nginx:1.27', 'comes from docker.io'],
    ['ghcr.io/acme/api:1.0', 'comes from ghcr.io'],
    ['evil.example.com/dkr.ecr.us-east-1.amazonaws.com/web:1', 'comes from evil.example.com'],
  ])('Noncompliance by default: %s', (ref, expected) => {
    // Assess
    expect(verdict(checkRule(imageRegistry, image(ref)))).toStrictEqual([
      expect.stringContaining(expected),
    ]);
  });

  it('Noncompliance: a repository outside the allowed repository glob', () => {
    // Act
    const outcome = checkRule(imageRegistry, image('public.ecr.aws/bitnami/redis:7'), {
      registries: ['public.ecr.aws/nginx/*'],
    });
    // Assess
    expect(verdict(outcome)).toHaveLength(1);
  });

  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.2.3'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1.2.3'],
    ['public.ecr.aws/nginx/nginx:1.27'],
  ])('Compliance by default (Amazon ECR): %s', (ref) => {
    // Assess
    expect(verdict(checkRule(imageRegistry, image(ref)))).toBe('compliant');
  });

  it('Compliance: registries and repositories configured by glob', () => {
    // Act
    const outcome = checkRule(imageRegistry, image('docker.io/library/nginx:1.27'), {
      registries: ['ghcr.io', 'docker.io/library/*'],
    });
    // Assess
    expect(verdict(outcome)).toBe('compliant');
  });

  it('Not applicable: no containers', () => {
    // Assess
    expect(checkRule(imageRegistry, { taskDefinition: { containerDefinitions: [] } })).toBe(
      'not-applicable',
    );
  });
});
