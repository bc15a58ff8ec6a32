import { readFileSync } from 'node:fs';
import type { InputFile } from './collect.ts';
import { parseText, SyntaxProblem } from './parse-text.ts';
import { lookalikeByName, recognise } from './recognise.ts';
import type { ReadResult } from './subject.ts';

/** The name standard input is reported under. */
const STDIN = '<stdin>';

// Words that make a file found in a directory worth reporting when it cannot be checked.
const ECS_WORDS = /containerDefinitions|container_definitions|AWS::ECS::|taskDefinition|aws_ecs_/;

/**
 * Reads one input into subjects to check, or a problem that names the file and what it looks
 * like. Never throws: one bad file never hides the others. A file found by walking a directory
 * that is no task definition (and does not mention one) is dropped quietly (undefined).
 */
const readInput = (input: InputFile, stdinName = STDIN): ReadResult | undefined => {
  const result = read(input, stdinName);
  if (result && 'problem' in result) result.problem.named = input.explicit;
  return result;
};

const read = (input: InputFile, stdinName: string): ReadResult | undefined => {
  const file = input.path === '-' ? stdinName : input.path;
  let text: string;
  try {
    text = input.path === '-' ? readFileSync(0, 'utf8') : readFileSync(input.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EISDIR'
          ? 'a directory'
          : (error as Error).message;
    return { problem: { file, kind: 'unreadable', message: `cannot read it (${why})` } };
  }
  // Editors on Windows start files with a byte order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    return input.explicit
      ? { problem: { file, kind: 'invalid', message: 'the file is empty' } }
      : undefined;
  }
  const relevant = input.explicit || ECS_WORDS.test(text);
  const byName = lookalikeByName(file);
  if (byName)
    return relevant ? { problem: { file, kind: 'unsupported', message: byName } } : undefined;
  let parsed: ReturnType<typeof parseText>;
  try {
    parsed = parseText(text, file);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    return relevant ? { problem: { file, kind: 'invalid', message: error.message } } : undefined;
  }
  const recognised = recognise(parsed, file);
  if ('looksLike' in recognised) {
    return relevant
      ? { problem: { file, kind: 'unsupported', message: recognised.looksLike } }
      : undefined;
  }
  return { subjects: recognised.subjects, format: recognised.format, note: recognised.note };
};

export { readInput, STDIN };
