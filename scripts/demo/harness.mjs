// Loads the end-to-end test harness (test/e2e/harness/, TypeScript) into this plain-Node script,
// so the demo drives pnpm and npm exactly as the e2e tests do: the same sandbox (isolated HOME,
// caches and SCRATCHSPACE_DIR), the same loopback registry, the same packed tarball of this
// checkout. esbuild (a devDependency, also what `npm run build` uses) bundles it into a temp file.
import { build } from 'esbuild'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const harnessDir = path.join(repoRoot, 'test', 'e2e', 'harness')

/** The harness's exports (createSandbox, startRegistry, createProject, runPm, run, e2ePackages, pnpm10, …). */
export async function loadHarness() {
  const entry = path.join(harnessDir, 'index.ts')
  if (!fs.existsSync(entry)) throw new Error(`the e2e harness is missing: ${entry}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-demo-harness-'))
  const outfile = path.join(dir, 'harness.cjs')
  try {
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
      // The harness finds the repository from its own location.
      define: { __dirname: JSON.stringify(harnessDir) },
    })
    return createRequire(outfile)(outfile)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
