/**
 * The `pcap-parser` package, counting packets: the baseline our own capture reader is compared
 * with (docs/architecture.md says why flowaudit has its own). It reads classic µs pcap only and
 * emits one event per packet.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pcapp = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };

const path = process.argv[2];
if (!path) {
  console.error('usage: pcap-parser-count FILE');
  process.exit(2);
}
let packets = 0;
const parser = pcapp.parse(path);
parser.on('packet', () => { packets++; });
parser.on('end', () => console.log(`packets ${packets}`));
parser.on('error', (e: Error) => { console.error(e.message); process.exit(1); });
