/**
 * The inspector registry: each inspector reads its well-known port; a port a catalog marks
 * (a rule whose follow-on is learned `via` an inspector) gets that inspector too, on the
 * inspector's own protocol only; any other port gets none. Through ingest(), a catalog-marked
 * FTP control port announces its data connection.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile } from '../../fixtures/lib/packet-builder.js';
import { loadCatalog } from '../../src/catalog/rules-loader.js';
import { PROTO_TCP, PROTO_UDP } from '../../src/flow/flow-record.js';
import { DceRpcInspector } from '../../src/inspect/dcerpc.js';
import { FtpInspector } from '../../src/inspect/ftp.js';
import { createInspectorRegistry, InspectorRegistry } from '../../src/inspect/registry.js';
import { SqlBrowserInspector } from '../../src/inspect/sql-browser.js';
import { TftpInspector } from '../../src/inspect/tftp.js';
import { ingest, inspectorPortsOf } from '../../src/pipeline/ingest.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { TempDir } from '../helpers/capture-files.js';
import { TcpScript } from '../helpers/flow-script.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const to = (proto: number, dport: number) => ({ proto, dport });

/** A catalog marking one port for each inspector, one on the wrong protocol, and one port for no inspector. */
const MARKING = `catalog: marks
prefix: marks
title: Inspector ports
roles:
  client: Client
  server: Server
rules:
  - id: ftp-on-2121
    from: client
    to: server
    proto: tcp
    port: 2121
    then:
      - {id: ftp-data, proto: tcp, port: 1024-65535, via: ftp, within: 60}
    source: {doc: seed.txt, ref: "FTP on 2121"}
  - id: epm-on-1135
    from: client
    to: server
    proto: tcp
    port: 1135
    then:
      - {id: rpc-dynamic, proto: tcp, port: 49152-65535, via: epm, within: 60}
    source: {doc: seed.txt, ref: "EPM on 1135"}
  - id: sql-browser-on-11434
    from: client
    to: server
    proto: udp
    port: 11434
    then:
      - {id: sql-named, proto: tcp, port: 1024-65535, via: ssrp, within: 60}
    source: {doc: seed.txt, ref: "SQL Browser on 11434"}
  - id: tftp-on-6969
    from: client
    to: server
    proto: udp
    port: 6969
    then:
      - {id: tftp-data, proto: udp, port: 1024-65535, via: tftp, within: 30, direction: reverse}
    source: {doc: seed.txt, ref: "TFTP on 6969"}
  - id: ftp-over-udp-3121
    from: client
    to: server
    proto: udp
    port: 3121
    then:
      - {id: ftp-udp-data, proto: tcp, port: 1024-65535, via: ftp, within: 60}
    source: {doc: seed.txt, ref: "FTP named on a UDP rule"}
  - id: epm-on-21
    from: client
    to: server
    proto: tcp
    port: 21
    then:
      - {id: rpc-after-21, proto: tcp, port: 49152-65535, via: epm, within: 60}
    source: {doc: seed.txt, ref: "EPM named on the FTP port"}
  - id: plain-8021
    from: client
    to: server
    proto: tcp
    port: 8021
    then:
      - {id: window-8021, proto: tcp, port: 9000, via: window, within: 60}
    source: {doc: seed.txt, ref: "a window, no inspector"}
`;

const marking = () => loadCatalog(tmp.file('marks.yaml', MARKING));

describe('inspector registry', () => {
  it('each well-known port maps to its inspector, on its protocol only', () => {
    const r = createInspectorRegistry();
    expect(r.inspectorFor(to(PROTO_TCP, 135))).toBeInstanceOf(DceRpcInspector);
    expect(r.inspectorFor(to(PROTO_TCP, 21))).toBeInstanceOf(FtpInspector);
    expect(r.inspectorFor(to(PROTO_UDP, 1434))).toBeInstanceOf(SqlBrowserInspector);
    expect(r.inspectorFor(to(PROTO_UDP, 69))).toBeInstanceOf(TftpInspector);
    for (const [proto, port] of [[PROTO_UDP, 135], [PROTO_UDP, 21], [PROTO_TCP, 1434], [PROTO_TCP, 69], [PROTO_TCP, 80], [1, 0], [50, 0]] as const) {
      expect(r.inspectorFor(to(proto, port)), `${proto}/${port}`).toBeNull();
    }
  });

  it('gives every new flow an inspector of its own', () => {
    const r = createInspectorRegistry();
    expect(r.inspectorFor(to(PROTO_TCP, 21))).not.toBe(r.inspectorFor(to(PROTO_TCP, 21)));
  });

  it('a port a catalog marks gets the inspector it names; an unmarked port gets none', () => {
    const ports = inspectorPortsOf(marking());
    expect(ports).toEqual({ ftp: [2121], epm: [1135, 21], ssrp: [11434], tftp: [6969] });
    const r = createInspectorRegistry(ports);
    expect(r.inspectorFor(to(PROTO_TCP, 2121))).toBeInstanceOf(FtpInspector);
    expect(r.inspectorFor(to(PROTO_TCP, 1135))).toBeInstanceOf(DceRpcInspector);
    expect(r.inspectorFor(to(PROTO_UDP, 11434))).toBeInstanceOf(SqlBrowserInspector);
    expect(r.inspectorFor(to(PROTO_UDP, 6969))).toBeInstanceOf(TftpInspector);
    expect(r.inspectorFor(to(PROTO_TCP, 8021))).toBeNull();
    // FTP named on a UDP rule: FTP is read over TCP only.
    expect(r.inspectorFor(to(PROTO_UDP, 3121))).toBeNull();
    expect(r.inspectorFor(to(PROTO_TCP, 3121))).toBeNull();
    // Without the catalog the marked ports are just ports.
    expect(createInspectorRegistry().inspectorFor(to(PROTO_TCP, 2121))).toBeNull();
  });

  it('a well-known port keeps its own inspector whatever a catalog marks on it', () => {
    const r = createInspectorRegistry(inspectorPortsOf(marking()));
    expect(r.inspectorFor(to(PROTO_TCP, 21))).toBeInstanceOf(FtpInspector);
    expect(createInspectorRegistry({ ftp: [135] }).inspectorFor(to(PROTO_TCP, 135))).toBeInstanceOf(DceRpcInspector);
  });

  it('no catalog marks no port', () => {
    expect(inspectorPortsOf(null)).toEqual({});
  });

  it('refuses a port or protocol outside its range', () => {
    const r = new InspectorRegistry();
    expect(() => r.register(PROTO_TCP, 65536, () => new FtpInspector())).toThrow(RangeError);
    expect(() => r.register(256, 21, () => new FtpInspector())).toThrow(RangeError);
    expect(() => r.register(PROTO_TCP, -1, () => new FtpInspector())).toThrow(RangeError);
  });
});

describe('ingest with a catalog that marks an FTP port', () => {
  const client = '10.0.1.5';
  const server = '10.0.0.62';
  // Passive FTP on TCP 2121: the 227 reply names 10.0.0.62:50001, and the client connects there.
  const control = new TcpScript(client, 50000, server, 2121).handshake()
    .s('PA', '220 ready\r\n').c('PA', 'PASV\r\n').s('PA', '227 Entering Passive Mode (10,0,0,62,195,81).\r\n');
  const data = new TcpScript(client, 50002, server, 50001).at(control.t + 0.1).handshake().s('PA', 'file');
  const capture = tmp.file('ftp-2121.pcap', pcapFile([...control.records, ...data.records]));

  async function dataFlowExpectation(withCatalog: boolean) {
    const store = new SqliteStore(tmp.name('ftp.db'));
    try {
      await ingest([{ name: capture }], { store, catalog: withCatalog ? marking() : null });
      return [...store.flows()].find((f) => f.dport === 50001)!.expectation;
    } finally {
      store.close();
    }
  }

  it('the data connection announced on the marked port is claimed by an FTP expectation', async () => {
    expect(await dataFlowExpectation(true)).toMatchObject({ kind: 'ftp', evidence: expect.stringContaining('FTP 227 (PASV) reply') });
  });

  it('without the catalog nothing reads port 2121, so nothing claims the data connection', async () => {
    expect(await dataFlowExpectation(false)).toBeNull();
  });
});
