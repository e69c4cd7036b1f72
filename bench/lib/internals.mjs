// The gc's per-project step (checkProject, src/gc/projects.ts) is not exported from dist/, so it is
// bundled here with the repository's esbuild options (scripts/esbuild-options.cjs), as scripts/build.mjs bundles gc.cjs, to time
// the lockfile phase on its own. Returns the bundle's path, or null (with the reason) when it
// cannot be built, e.g. while a source file is being rewritten.
import path from 'node:path'

export async function bundleInternals(repo, work) {
  const outfile = path.join(work, 'internals.cjs')
  try {
    const { build } = await import('esbuild')
    const { common } = (await import('../../scripts/esbuild-options.cjs')).default
    await build({
      ...common,
      stdin: { contents: "export { checkProject } from './src/gc/projects'", resolveDir: repo, loader: 'ts' },
      outfile, format: 'cjs', logLevel: 'silent',
    })
    return { file: outfile }
  } catch (err) {
    return { file: null, reason: String(err.message ?? err).split('\n')[0] }
  }
}
