import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskDefinitionDocument } from '#policies/documents.ts';

/** The folder of real task definitions (and templates) copied from public sources: SOURCES.md. */
const TASK_DEFINITION_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'task-definitions');

/** The path of a task definition fixture. */
const fixturePath = (relative: string): string => join(TASK_DEFINITION_FIXTURES, relative);

/** A RegisterTaskDefinition-shaped JSON fixture, parsed. */
const registerFixture = (name: string): TaskDefinitionDocument =>
  JSON.parse(readFileSync(fixturePath(`register/${name}`), 'utf8')) as TaskDefinitionDocument;

export { fixturePath, registerFixture, TASK_DEFINITION_FIXTURES };
