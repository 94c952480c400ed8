/**
 * Where a streaming report writer puts its text: a function given each piece in order. The
 * writers of the per-flow formats (JSON, CSV) call it item by item, so a report of a million
 * findings never exists as one string; the CLI passes a buffered file or stdout sink.
 */
export type Sink = (text: string) => void;

/** Everything a writer writes, as one string (small reports, tests). */
export function collect(write: (sink: Sink) => void): string {
  const parts: string[] = [];
  write((t) => { parts.push(t); });
  return parts.join('');
}
