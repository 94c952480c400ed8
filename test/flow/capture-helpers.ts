/**
 * The capture helpers and seeded PRNG under the path test/catalog and test/store import them
 * from; they are written in test/helpers/capture-files.ts and test/helpers/rng.ts.
 */
export * from '../helpers/capture-files.js';
export * from '../helpers/rng.js';
