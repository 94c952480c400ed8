/**
 * The capture helpers under the path test/catalog and test/store import them from; they are
 * written in test/helpers/capture-files.ts.
 */
export * from '../helpers/capture-files.js';
