/**
 * The e2e harness: real package managers, real installs, no network. Typical use:
 *
 *   const packages = e2ePackages()                  // build + pack once per source state
 *   const registry = await startRegistry(packages.all)
 *   const sandbox = createSandbox()                 // isolated HOME, caches, SCRATCHSPACE_DIR
 *   const project = await createProject({ sandbox, pm: pnpm12(), registry, route: 'config' })
 *   expectSuccess(await runPm(project, ['add', 'fixture-a']))
 *   await requireIn(project, 'fixture-a')           // creates <store>/fixture-a/cache
 *   ...; removeSandboxes(); await registry.close()
 */
export { e2ePackages, type E2ePackages, type PackedPackage } from './packages'
export { createProject, hasSpace, pluginLines, requireIn, runPm, spacePath, warningLines, type PluginRoute, type Project, type ProjectOptions } from './projects'
export { startRegistry, type LocalRegistry } from './registry'
export { createSandbox, expectSuccess, removeSandboxes, run, runNode, type RunOptions, type RunResult, type Sandbox } from './sandbox'
export { e2eCacheDir, npm, pnpm10, pnpm11, pnpm12, repoRoot, type PackageManager } from './tools'
