import { describe, expect, it } from 'vitest';
import { windowsSignal } from '#policies/documents.ts';
import { hasPlaceholder, isImagePlaceholder } from '#policies/placeholders.ts';
import { registerFixture } from '#support/fixtures.ts';

describe('Placeholders and Windows signals on real documents', () => {
  it.each([
    ['${ECR_BACKEND}', true],
    ['{{ .Values.image }}', true],
    ['$$$EXECUTION_ROLE$$$', true],
    ['$APP_IMAGE', true],
    ['#{Octopus.Image}', true],
    ['<IMAGE1_NAME>', true],
    ['nginx:1.27', false],
    ['price is $5', false],
  ])('%s is a placeholder: %s', (value, expected) => {
    // Assess
    expect(hasPlaceholder(value)).toBe(expected);
  });

  it('REPLACED_BY_CI in an image field is a placeholder; a valid image is not', () => {
    // Assess
    expect(isImagePlaceholder('REPLACED_BY_CI')).toBe(true);
    expect(isImagePlaceholder('busybox:latest')).toBe(false);
  });

  it.each([
    ['ecs-agent-awslogs-windows.json', 'runs the Windows image'],
    ['ecs-agent-datavolume-windows.json', 'runs the Windows image'],
    ['ecs-agent-container-health-windows.json', 'starts powershell'],
    ['DERIVED-windows-named-pipe.json', 'named pipe'],
    ['ecs-agent-cap-add.json', undefined],
  ])('%s: %s', (name, signal) => {
    // Act
    const found = windowsSignal(registerFixture(name));
    // Assess
    if (signal === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(signal);
  });

  it('runtimePlatform decides when it is set', () => {
    // Prepare
    const td = registerFixture('ecs-agent-awslogs-windows.json');
    // Assess
    expect(
      windowsSignal({ ...td, runtimePlatform: { operatingSystemFamily: 'LINUX' } }),
    ).toBeUndefined();
    expect(
      windowsSignal({
        ...td,
        runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' },
      }),
    ).toBe('runtimePlatform is WINDOWS_SERVER_2022_CORE');
  });
});
