// The gc's project steps (checkProject, src/gc/projects.ts, and assessWorld, src/gc/world.ts) are
// not exported from dist/, so they are bundled here with the repository's esbuild, the same way
// scripts/build.mjs bundles gc.cjs, to time the lockfile phase on its own. The bundle goes next to
// the snapshot's gc.cjs, which assessWorld's second thread loads (as it does in a real gc). Returns the bundle's path, or null (with the reason) when it
// cannot be built, e.g. while a source file is being rewritten.
import path from 'node:path'

export async function bundleInternals(repo, dist) {
  const outfile = path.join(dist, 'internals.cjs')
  try {
    const { build } = await import('esbuild')
    const { common } = (await import('../../scripts/esbuild-options.cjs')).default
    await build({
      ...common,
      stdin: { contents: "export { checkProject } from './src/gc/projects'\nexport { assessWorld } from './src/gc/world'", resolveDir: repo, loader: 'ts' },
      outfile, format: 'cjs', logLevel: 'silent',
    })
    return { file: outfile }
  } catch (err) {
    return { file: null, reason: String(err.message ?? err).split('\n')[0] }
  }
}
