/**
 * Build step (`npm run build`): parse the shipped catalogs once into dist/rules-compiled
 * (see compiled-catalogs.ts for why).
 */
import { catalogFilesIn, compileCatalogs, COMPILED_DIR } from './compiled-catalogs.js';
import { rulesDir } from './rules-loader.js';

const files = catalogFilesIn(rulesDir());
const written = compileCatalogs(files);
if (written.length < files.length) {
  console.error(`catalogs with problems were not precompiled (run 'flowaudit rules check'): ${files.filter((f) => !written.includes(f)).join(', ')}`);
}
console.error(`precompiled ${written.length} catalog(s) into ${COMPILED_DIR}`);
