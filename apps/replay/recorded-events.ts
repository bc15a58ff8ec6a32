import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { topLevelElements } from './json-positions.ts';

const RECORDING = /\.(json|jsonl|ndjson)$/i;

/** Where an event came from: a file and the line its JSON starts on (1-based). */
interface EventSource {
  file: string;
  line: number;
}

/**
 * One event of a recording, or a line that could not be read: `raw` is the parsed JSON, `problem`
 * says why there is none. Either way the source names the file and line.
 */
interface RecordedLine {
  source: EventSource;
  raw: unknown;
  problem?: string;
}

/** `file:line`, as editors and terminals link it. */
const where = (source: EventSource): string => `${source.file}:${source.line}`;

const jsonLines = (file: string, text: string): RecordedLine[] =>
  text.split('\n').flatMap((content, i) => {
    if (content.trim() === '') return [];
    const source = { file, line: i + 1 };
    try {
      return [{ source, raw: JSON.parse(content) as unknown }];
    } catch (error) {
      return [{ source, raw: undefined, problem: `not JSON (${(error as Error).message})` }];
    }
  });

/**
 * The events of one file: a JSON array of EventBridge events, one event, or JSON Lines (one event
 * per line, as an EventBridge archive replay or a log export gives them). A line that is not JSON
 * is returned as a problem, never thrown: one bad line does not hide the rest of an archive.
 */
const readFile = (file: string): RecordedLine[] => {
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return jsonLines(file, text);
  }
  if (!Array.isArray(parsed)) {
    const line = text.slice(0, text.search(/\S/)).split('\n').length;
    return [{ source: { file, line }, raw: parsed }];
  }
  const lines = topLevelElements(text);
  return parsed.map((raw, i) => ({ source: { file, line: lines[i] ?? 1 }, raw }));
};

/** The recording files under a directory and its subdirectories. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return RECORDING.test(entry.name) ? [path] : [];
    });

const timeOf = (raw: unknown): number | undefined => {
  const time = (raw as { time?: unknown } | null)?.time;
  const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * A directory's events in event-time order: archives split files by hour, size or name, and a
 * name order ("events-10" before "events-9") is not time order. An event without a time (a
 * trimmed capture, an unreadable line) keeps its place after the event before it in its file;
 * equal times keep file and line order (the sort is stable).
 */
const inEventTimeOrder = (lines: RecordedLine[]): RecordedLine[] => {
  let carried = Number.NEGATIVE_INFINITY;
  let file = '';
  const keyed = lines.map((line) => {
    if (line.source.file !== file) {
      file = line.source.file;
      carried = Number.NEGATIVE_INFINITY;
    }
    carried = timeOf(line.raw) ?? carried;
    return { line, at: carried };
  });
  return keyed.sort((a, b) => a.at - b.at).map((k) => k.line);
};

/**
 * The events of a recording: files (.json, .jsonl, .ndjson) in the order given, each in its own
 * order (the order they were delivered in, duplicates and all), and directories of them in event
 * time order.
 */
const readRecordedEvents = (paths: readonly string[]): RecordedLine[] =>
  paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? inEventTimeOrder(filesUnder(path).flatMap(readFile))
      : readFile(path),
  );

/** Events held in memory (tests, benchmarks), named as lines of one pseudo-file. */
const inMemory = (events: readonly unknown[], file = '(in memory)'): RecordedLine[] =>
  events.map((raw, i) => ({ source: { file, line: i + 1 }, raw }));

export { type EventSource, inMemory, type RecordedLine, readRecordedEvents, where };
