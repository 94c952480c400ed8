/**
 * What a seed document advises a firewall administrator about a rule, beyond its port table,
 * keyed by rule (or follow-on) id. Each entry cites the seed and section it comes from.
 */
import type { Site } from '../catalog/types.js';

const ALTIRIS_SEED = '002_65c607c4a64136c4.txt';

function altirisStaticPort(site: Site): string[] {
  const port = site.params.get('altiris.file_transfer_port');
  const lines = [
    `advice (${ALTIRIS_SEED}, 1.iv a, "Setting a Static Port for File Transfers"): "specify a static TCP port for file transfers`
      + ' to the clients ... useful if you have a firewall and need to use a specific port rather than a dynamic port";',
    'set it in the Deployment Server and as altiris.file_transfer_port in the site file, so the ports above 1024 need not be opened',
  ];
  if (port) lines.push(`this site sets altiris.file_transfer_port: ${port} (rule altiris.file-transfer-static); the dynamic range can be closed once every server uses it`);
  return lines;
}

const ADVICE: Record<string, (site: Site) => string[]> = {
  'altiris.file-transfer': altirisStaticPort,
  'altiris.file-transfer-from-server': altirisStaticPort,
  'altiris.file-transfer-static': (site) => [
    `${ALTIRIS_SEED}, 1.iv a: the static file-transfer port replaces the dynamic ports above 1024 (default 0 = dynamic)`,
    ...(site.params.get('altiris.file_transfer_port') ? [] : ['set altiris.file_transfer_port in the site file to export it']),
  ],
};

/** The seed's advice for a rule or follow-on id, as comment lines (none for most rules). */
export function adviceFor(id: string, site: Site): string[] {
  return ADVICE[id]?.(site) ?? [];
}
