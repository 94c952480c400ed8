/** The export formats and their renderers. */
import { renderCisco } from './cisco.js';
import { renderCsv } from './csv.js';
import { renderIptables } from './iptables.js';
import { renderNftables } from './nftables.js';
import type { FirewallPolicy } from './types.js';
import { renderWindows } from './windows.js';

export const FIREWALL_FORMATS = ['nftables', 'iptables', 'windows', 'cisco', 'csv'] as const;
export type FirewallFormat = (typeof FIREWALL_FORMATS)[number];

const RENDERERS: Record<FirewallFormat, (p: FirewallPolicy) => string> = {
  nftables: renderNftables,
  iptables: renderIptables,
  windows: renderWindows,
  cisco: renderCisco,
  csv: renderCsv,
};

export function renderFirewall(p: FirewallPolicy, format: FirewallFormat): string {
  return RENDERERS[format](p);
}
