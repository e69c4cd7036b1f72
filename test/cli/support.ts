import path from 'node:path'
import { builtRuntime, repoRoot } from '../helpers/dist'
import { runNodeFile, type RunNodeResult } from '../helpers/tmp'

/** Runs the built `scratch` CLI (dist/cli.cjs) in a real node process against the store `store`. */
export async function scratch(store: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunNodeResult> {
  builtRuntime() // builds dist/ when the sources are newer
  return runNodeFile(path.join(repoRoot, 'dist', 'cli.cjs'), { args, cwd: opts.cwd, env: { SCRATCHSPACE_DIR: store, NO_COLOR: '1', ...opts.env } })
}
