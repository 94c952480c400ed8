/**
 * The firewall stage's neutral policy: allow rules between address groups, built from the
 * catalogs as a site applies them (policy.ts) and written out by one renderer per format
 * (nftables.ts, iptables.ts, windows.ts, cisco.ts, csv.ts). Everything is sorted and named from
 * rule ids, so an export diffs cleanly from one change ticket to the next.
 */
import type { FollowOn, PortRange, Proto, SourceRef } from '../catalog/types.js';

/** One CIDR block: base address and prefix length. */
export interface Cidr {
  family: 4 | 6;
  base: bigint;
  len: number;
}

/** The addresses one side of a rule names: a role, a pseudo-role, several of them, or literal addresses. */
export interface AddressGroup {
  /** Stable key: the sorted role ids (and address literals) joined by '+'. */
  key: string;
  /** The role ids / address expressions the group is made of, sorted. */
  members: string[];
  /** "management point", or the members' titles joined. */
  title: string;
  v4: Cidr[];
  v6: Cidr[];
  /** How pseudo-roles and defaults were turned into addresses (one sentence each). */
  notes: string[];
}

/** What the stored flows say about one rule id (flows whose classification names it). */
export interface Observed {
  flows: number;
  /** Epoch seconds. */
  first: number;
  last: number;
  /** Responder ports the flows used (for follow-ons: the announced and used dynamic ports). */
  ports: number[];
}

/** How a rule's port is known. */
export type AllowKind =
  /** A fixed port (or range) the catalog names. */
  | 'port'
  /** A follow-on whose port a conntrack helper follows (FTP, TFTP data): related to the parent. */
  | 'helper'
  /** A follow-on on a dynamic range (RPC after the endpoint mapper, SQL Browser, time windows). */
  | 'dynamic';

export interface AllowRule {
  /** Stable id: the rule id, `:reverse` for the second half of a `both` rule. */
  id: string;
  /** The catalog rule (or follow-on) id flows are classified with. */
  ruleId: string;
  /** For a follow-on: the id of the policy rule it follows. */
  parentId: string | null;
  title: string;
  proto: Proto;
  /** Responder ports (ICMP: types); empty = any (ICMP, `ip`). */
  ports: PortRange[];
  /** The ports the catalog names (before narrowing to what was observed). */
  configuredPorts: PortRange[];
  /** The ports were narrowed to the ones the stored flows used. */
  narrowed: boolean;
  src: AddressGroup;
  dst: AddressGroup;
  /** `forward` from→to as the catalog writes it; `reverse` the other half of a `both` rule or a reversed follow-on. */
  orientation: 'forward' | 'reverse';
  kind: AllowKind;
  via: FollowOn['via'] | null;
  /** Conntrack helper that opens this follow-on's connections ('ftp' or 'tftp'). */
  helper: 'ftp' | 'tftp' | null;
  /** TCP 135 rules with an endpoint-mapper follow-on (Windows: RPCEPMap); follow-ons via epm (Windows: RPC). */
  rpc: 'epmap' | 'dynamic' | null;
  source: SourceRef;
  /** Null without a database. */
  observed: Observed | null;
  /** Comment lines: pseudo-role decisions, narrowing, the seed's advice. */
  notes: string[];
}

/** A conntrack helper to attach to a parent rule's control connections. */
export interface HelperUse {
  helper: 'ftp' | 'tftp';
  /** The policy rule whose connections carry the announcements (FTP 21, TFTP 69). */
  rule: AllowRule;
  /** Follow-on rule ids it opens. */
  followOns: string[];
}

export interface SkippedRule {
  id: string;
  reason: string;
}

export interface FirewallPolicy {
  siteFile: string;
  catalogs: string[];
  /** True when observations from a database were applied. */
  withDb: boolean;
  onlyObserved: boolean;
  groups: AddressGroup[];
  rules: AllowRule[];
  helpers: HelperUse[];
  skipped: SkippedRule[];
  /** Header comment lines (what is and is not in the export). */
  notes: string[];
}
