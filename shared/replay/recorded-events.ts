import { readFileSync } from 'node:fs';

/**
 * The events of a recording: a JSON array of EventBridge events, one event, or JSON Lines (one
 * event per line, as an EventBridge archive replay or a log export gives them).
 */
const readRecordedEvents = (path: string): unknown[] => {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) throw error;
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${path}: line ${i + 1} is not JSON`);
      }
    });
  }
};

export { readRecordedEvents };
