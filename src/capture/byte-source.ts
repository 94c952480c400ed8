/**
 * Where capture bytes come from: a file (read synchronously in large blocks straight into the
 * reader's buffer — the fast path), or a stream (stdin, a child process, a gunzip pipe) whose
 * chunks are copied in. Gzip is recognised by its magic, not the file name.
 */
import { openSync, readSync, closeSync, createReadStream, fstatSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../util/errors.js';

export interface ByteSource {
  /** Read up to len bytes into buf at off; 0 means end of data. */
  read(buf: Buffer, off: number, len: number): Promise<number>;
  close(): void;
  /** Size in bytes when known (files), for progress. */
  readonly size: number | null;
  /** True when the bytes are decompressed from gzip (offsets then refer to the uncompressed stream). */
  readonly gzip: boolean;
}

class FileSource implements ByteSource {
  readonly gzip = false;
  readonly size: number;
  private pos = 0;
  constructor(private fd: number) {
    this.size = fstatSync(fd).size;
  }
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    const n = readSync(this.fd, buf, off, len, this.pos);
    this.pos += n;
    return n;
  }
  close(): void {
    closeSync(this.fd);
  }
}

class StreamSource implements ByteSource {
  private it: AsyncIterator<Buffer>;
  private rest: Buffer | null = null;
  constructor(
    stream: AsyncIterable<Buffer>,
    readonly size: number | null,
    readonly gzip: boolean,
    private onClose: () => void = () => {},
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      if (this.rest === null || this.rest.length === 0) {
        // Return what we have rather than waiting for more: keeps live sources responsive.
        if (got > 0) break;
        const r = await this.it.next();
        if (r.done) break;
        this.rest = r.value;
        continue;
      }
      const n = Math.min(len - got, this.rest.length);
      this.rest.copy(buf, off + got, 0, n);
      this.rest = this.rest.subarray(n);
      got += n;
    }
    return got;
  }
  close(): void {
    this.onClose();
  }
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Whether a capture path names a regular file (read by position, fingerprinted, hashed) rather
 * than something read once as a stream (a named pipe, `<(zcat x.gz)`, a device). A directory
 * is a user error; a missing file throws ENOENT (with the path) as Node does.
 */
export function isRegularFile(path: string): boolean {
  const st = statSync(path);
  if (st.isDirectory()) throw new UserError(`${path}: is a directory, not a capture file`);
  return st.isFile();
}

/** Opens a path ('-' for stdin); transparently gunzips. Throws ENOENT etc. as Node errors. */
export async function openByteSource(path: string): Promise<ByteSource> {
  if (path === '-') return openStream(process.stdin);
  const fd = openSync(path, 'r');
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw new UserError(`${path}: is a directory, not a capture file`);
  }
  // A pipe or a device cannot be read by position: read it as the stream it is.
  if (!st.isFile()) return openStream(createReadStream('', { fd }));
  const head = Buffer.alloc(2);
  const n = readSync(fd, head, 0, 2, 0);
  if (n === 2 && isGzip(head)) {
    closeSync(fd);
    const gunzip = createReadStream(path).pipe(createGunzip());
    return new StreamSource(gunzip, null, true, () => gunzip.destroy());
  }
  return new FileSource(fd);
}

/** Wraps any readable byte stream (stdin, a child's stdout), gunzipping when it starts with the gzip magic. */
export async function openStream(stream: NodeJS.ReadableStream | Readable): Promise<ByteSource> {
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (isGzip(head)) {
    const gunzip = Readable.from(all()).pipe(createGunzip());
    return new StreamSource(gunzip, null, true, () => gunzip.destroy());
  }
  return new StreamSource(all(), null, false);
}
