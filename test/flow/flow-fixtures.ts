/**
 * The scripted conversations under the path test/store imports them from; they are written in
 * test/helpers/flow-script.ts.
 */
export * from '../helpers/flow-script.js';
