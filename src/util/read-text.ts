/**
 * Reading a text file a user names (site file, catalog) with a size limit: a file far larger
 * than any real one (a capture given as the site file, an inventory of millions of single
 * addresses) is refused by its size before it is read, instead of exhausting memory in the
 * YAML parser, which needs about 120 bytes of heap per byte of input.
 */
import { openSync, closeSync, fstatSync, readFileSync } from 'node:fs';

/** A file over its size limit: `size` and `limit` in bytes. */
export class FileTooLarge extends Error {
  constructor(readonly file: string, readonly size: number, readonly limit: number) {
    super(`${file}: ${mib(size)} is more than the ${mib(limit)} flowaudit reads for this kind of file`);
    this.name = 'FileTooLarge';
  }
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** The file's text, or FileTooLarge when it holds more than `limit` bytes (I/O errors as Node throws them). */
export function readTextFile(file: string, limit: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new FileTooLarge(file, size, limit);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
