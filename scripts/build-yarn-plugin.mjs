// Bundles the yarn plugin into dist/yarn-plugin.cjs. Unlike the other entries it is one
// self-contained file with no chunks beside it: `scratch init` copies it into a project's
// `.yarn/plugins/`, where nothing else of the package is (docs/design.md, "yarn berry").
// Minified, as it is committed into the projects that use it.
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'

/** The archive code is never reached from a sweep; leaving it out keeps tar out of the plugin. */
const noArchive = {
  name: 'no-archive',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/archive\/index$/ }, () => ({ path: 'archive', namespace: 'no-archive' }))
    b.onLoad({ filter: /.*/, namespace: 'no-archive' }, () => ({
      contents: "throw new Error('pnpm-plugin-scratch: archives are not part of the yarn plugin')",
      loader: 'js',
    }))
  },
}

/** Builds `<root>/hooks/yarn-plugin.ts` into `<dist>/yarn-plugin.cjs`. */
export async function buildYarnPlugin(root, dist) {
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version
  await build({
    entryPoints: [path.join(root, 'hooks', 'yarn-plugin.ts')],
    outfile: path.join(dist, 'yarn-plugin.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'inline',
    banner: { js: `/* pnpm-plugin-scratch ${version}: yarn plugin. Written by \`scratch init\`; run it again to update this file. */` },
    plugins: [noArchive],
    define: { SCRATCH_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  })
}
