import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const RECORDING = /\.(json|jsonl|ndjson)$/i;

/**
 * The events of one file: a JSON array of EventBridge events, one event, or JSON Lines (one event
 * per line, as an EventBridge archive replay or a log export gives them).
 */
const readFile = (path: string): unknown[] => {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) throw new Error(`${path} is not JSON: ${(error as Error).message}`);
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${path}: line ${i + 1} is not JSON`);
      }
    });
  }
};

/** The recording files under a directory (and its subdirectories), in name order. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return RECORDING.test(entry.name) ? [path] : [];
    });

/**
 * The events of a recording, in the order given: files (.json, .jsonl) and directories of them,
 * read in name order.
 */
const readRecordedEvents = (paths: readonly string[]): unknown[] =>
  paths.flatMap((path) =>
    statSync(path).isDirectory() ? filesUnder(path).flatMap(readFile) : readFile(path),
  );

export { readRecordedEvents };
