import * as v from 'valibot';
import { ConfigError } from '../errors.ts';
import { toFieldIssues } from '../events/schema-helpers.ts';

/** Section name -> the builder of its schema (shared/config/schema.ts lists them all). */
type SectionSchemas = Readonly<Record<string, () => v.GenericSchema>>;

/** The validated configuration holding these sections, every default filled in. */
type SectionsConfig<T extends SectionSchemas> = {
  -readonly [K in keyof T]: v.InferOutput<ReturnType<T[K]>>;
};

/** The schema of a configuration holding only these sections (and no other key). */
const sectionsSchema = (sections: SectionSchemas): v.GenericSchema =>
  v.strictObject(
    Object.fromEntries(Object.entries(sections).map(([name, build]) => [name, build()])),
  );

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

/**
 * Validates configuration data holding only these sections, as a cold start does: only their
 * schemas are imported and built. Throws ConfigError naming every bad field.
 */
const parseSections = (data: unknown, source: string, sections: SectionSchemas): unknown => {
  const result = v.safeParse(sectionsSchema(sections), data ?? {});
  if (!result.success) throw new ConfigError(source, toFieldIssues(result.issues, { echo: true }));
  return result.output;
};

export { deepFreeze, parseSections, type SectionSchemas, type SectionsConfig, sectionsSchema };
