import { describe, expect, it } from 'vitest';
import { imagePinned } from '#policies/rules/image-pinned.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const image = (ref: string) => ({ taskDefinition: withContainer({ image: ref }) });

describe('Rule: image-pinned', () => {
  it.each([
    ['nginx:latest', 'uses the moving tag "latest"'],
    ['nginx', 'has no tag, so ECS pulls "latest"'],
    ['registry.example.com:5000/team/api', 'has no tag'],
    ['not an image', 'is not a valid image reference'],
    ['grafana/grafana:stable', 'uses the moving tag "stable"'],
    ['ghcr.io/org/app:main', 'uses the moving tag "main"'],
    ['nginx:Nightly', 'uses the moving tag "Nightly"'],
  ])('Noncompliance: %s', (ref, expected) => {
    // Act
    const outcome = checkRule(imagePinned, image(ref));
    // Assess
    expect(verdict(outcome)).toStrictEqual([expect.stringContaining(expected)]);
  });

  it('Noncompliance: a tag is not a digest when a digest is required, and the finding points at the image', () => {
    // Act
    const outcome = checkRule(imagePinned, image('nginx:1.27'), { requireDigest: true });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: 'container app: image nginx:1.27 is not pinned to a sha256 digest',
        location: {
          target: 'taskDefinition',
          path: ['containerDefinitions', 0, 'image'],
          container: 'app',
        },
      },
    ]);
  });

  it('Noncompliance: a container without an image', () => {
    // Assess
    expect(verdict(checkRule(imagePinned, image('')))).toStrictEqual([
      'container app names no image',
    ]);
  });

  it.each([
    ['nginx:1.27'],
    ['registry.example.com:5000/team/api:2.0.1'],
    [`nginx@${DIGEST}`],
    [`nginx:latest@${DIGEST}`],
  ])('Compliance: %s', (ref) => {
    // Assess
    expect(verdict(checkRule(imagePinned, image(ref)))).toBe('compliant');
  });

  it('Compliance: a digest satisfies requireDigest', () => {
    // Assess
    expect(verdict(checkRule(imagePinned, image(`web@${DIGEST}`), { requireDigest: true }))).toBe(
      'compliant',
    );
  });

  it('Not applicable: no task definition, or no containers', () => {
    // Assess
    expect(checkRule(imagePinned, {})).toBe('not-applicable');
    expect(checkRule(imagePinned, { taskDefinition: { family: 'x' } })).toBe('not-applicable');
  });

  it('Compliance: a digest pins whatever tag the reference also names', () => {
    // Assess
    expect(verdict(checkRule(imagePinned, image(`nginx:latest@${DIGEST}`)))).toBe('compliant');
  });

  it.each([
    ['${ECR_BACKEND}'],
    ['${BACKEND_ECR}:latest'],
    ['REPLACED_BY_CI'],
    ['<IMAGE1_NAME>'],
    ['$APP_IMAGE'],
    ['{{ image }}'],
  ])('Unknown: the image is a placeholder (%s), and the finding says how to check', (ref) => {
    // Assess
    expect(verdict(checkRule(imagePinned, image(ref)))).toStrictEqual([
      expect.stringMatching(/^unknown: .*placeholder.*rendered document/),
    ]);
  });

  it('Compliance: moving tags the policy adds are moving too', () => {
    // Assess
    expect(verdict(checkRule(imagePinned, image('app:qa'), { movingTags: ['QA'] }))).toHaveLength(
      1,
    );
  });
});
