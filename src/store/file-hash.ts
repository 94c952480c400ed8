/**
 * File identity for idempotent re-ingest. The full sha256 is computed on a worker thread that
 * reads the file on its own, in parallel with the ingest on the main thread (hashing 6 GB costs
 * ~3.5 s of CPU: too much for the hot path, free on the second core). A cheap fingerprint
 * (size + hash of the first and last MiB) finds a probable duplicate before reading anything.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const h = createHash('sha256');
const fd = fs.openSync(workerData.path, 'r');
const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
let pos = 0, n;
while ((n = fs.readSync(fd, buf, 0, buf.length, pos)) > 0) { h.update(buf.subarray(0, n)); pos += n; }
fs.closeSync(fd);
parentPort.postMessage(h.digest('hex'));
`;

export function sha256FileInWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    w.once('message', (hex: string) => resolve(hex));
    w.once('error', reject);
  });
}

export function sha256File(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let pos = 0;
  let n: number;
  while ((n = readSync(fd, buf, 0, buf.length, pos)) > 0) {
    h.update(buf.subarray(0, n));
    pos += n;
  }
  closeSync(fd);
  return h.digest('hex');
}

export function fileFingerprint(path: string): { fingerprint: string; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = createHash('sha256');
    const chunk = 1024 * 1024;
    const buf = Buffer.allocUnsafe(chunk);
    const n1 = readSync(fd, buf, 0, chunk, 0);
    h.update(buf.subarray(0, n1));
    if (size > chunk) {
      const n2 = readSync(fd, buf, 0, chunk, Math.max(chunk, size - chunk));
      h.update(buf.subarray(0, n2));
    }
    return { fingerprint: `${size}:${h.digest('hex')}`, size };
  } finally {
    closeSync(fd);
  }
}
