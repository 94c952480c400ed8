/**
 * Run-wide setup: a PostgreSQL server for the store tests that run against both stores
 * (test/helpers/postgres.ts). FLOWAUDIT_TEST_PG names one of one's own; otherwise a throwaway
 * cluster is started when Debian's postgresql package is installed.
 */
import type { TestProject } from 'vitest/node';
import { postgresBinDir, startCluster, type StartedCluster } from './helpers/postgres-cluster.js';

let cluster: StartedCluster | null = null;

export function setup(project: TestProject): void {
  let url = process.env.FLOWAUDIT_TEST_PG ?? '';
  let why = '';
  if (!url) {
    if (!postgresBinDir()) why = 'PostgreSQL is not installed (apt-get install postgresql), so the PostgreSQL store is not tested';
    else {
      try {
        cluster = startCluster();
        url = cluster.url;
      } catch (e) {
        why = `could not start a PostgreSQL cluster: ${(e as Error).message.split('\n')[0]}`;
      }
    }
  }
  project.provide('pgUrl', url);
  project.provide('pgSkipReason', why);
  if (why) console.warn(`\n[flowaudit tests] ${why}\n`);
}

export function teardown(): void {
  cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgSkipReason: string;
  }
}
