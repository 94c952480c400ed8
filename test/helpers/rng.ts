/**
 * Deterministic randomness for property tests: the same seed gives the same sequence on every
 * run and machine, so a failure is reproduced from the seed it reports (shared with the fuzz
 * harness, fuzz/rng.ts).
 */
export { prng, randInt } from '../../fuzz/rng.js';
