#!/usr/bin/env node
// The whole story with real package managers, offline, in a temp directory (`npm run demo`):
//
//   1. two libraries, fixture-a and fixture-b, that keep a cache in a scratch space;
//   2. a pnpm 10 project wired as the README says (`pnpm add --save-dev pnpm-plugin-scratch`,
//      `pnpm scratch init`) installs and runs them: spaces appear, `scratch list` shows them;
//   3. `pnpm remove fixture-a` sweeps fixture-a's space; fixture-b's stays;
//   4. the same with npm: `npx pnpm-plugin-scratch init`, `npm install`, run, `npm uninstall fixture-a`;
//   5. pnpm 12 with `pnpm add --config pnpm-plugin-scratch` (pnpm 12 is provisioned into the e2e
//      cache first if it is missing, with a progress line; that needs the npm registry once);
//   6. `scratch gc --dry-run` over the store;
//   7. `scratch status` and `scratch list --by owner` of the store the demo built (with two more
//      spaces: a global one, and one of a package no project installs).
//
// Every step checks its outcome and the demo exits 1 with a message at the first one that did
// not happen, so it doubles as a smoke test. Packages come from a registry on 127.0.0.1 serving
// this checkout (packed) and the two libraries; nothing goes to the internet.
//
//   node scripts/demo.mjs [--keep]      (--keep: leave the temp directory for a look around)
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadHarness } from './demo/harness.mjs'
import { e2eCacheDir, PNPM12_VERSION, provisionMajor } from './provision-pnpm.mjs'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(repoRoot, 'dist', 'cli.cjs')
const keep = process.argv.includes('--keep')
const started = Date.now()

// ---------------------------------------------------------------------------------------------
// Output

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
const paint = (code) => (text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = paint('1')
const dim = paint('2')
const green = paint('32')
const red = paint('31')
const cyan = paint('36')

const MAX_LINES = 14
let sandboxDir = ''
let stepStarted = Date.now()

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

function heading(title) {
  const line = `── ${title} `
  console.log(`\n${bold(line.padEnd(Math.max(line.length, 78), '─'))}`)
  stepStarted = Date.now()
}

function note(text) {
  for (const line of text.split('\n')) console.log(`  ${dim(line)}`)
}

/** Prints a command's output, without blank lines and progress noise, at most MAX_LINES lines. */
function showOutput(output) {
  const lines = output.replace(/\r/g, '').split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line !== '' && !/^Progress: resolved/.test(line) && !/^Packages: \+/.test(line) && !/^\++$/.test(line) && !/^-+$/.test(line))
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), `… (${lines.length - MAX_LINES + 1} more lines)`] : lines
  for (const line of shown) console.log(`  ${dim('│')} ${line}`)
}

class DemoFailure extends Error {}

function ok(message) {
  console.log(`  ${green('✓')} ${message} ${dim(`(${seconds(Date.now() - stepStarted)})`)}`)
  stepStarted = Date.now()
}

/** Checks an expected outcome: prints ✓ message, or stops the demo with `failure`. */
function expectThat(condition, message, failure) {
  if (!condition) throw new DemoFailure(failure ?? `expected: ${message}`)
  ok(message)
}

// ---------------------------------------------------------------------------------------------
// The libraries the projects install: what a library author writes.

const LIBRARY_SOURCE = (name) => `'use strict'
// ${name}: keeps a cache in its own scratch space, created when the module is loaded.
const fs = require('node:fs')
const path = require('node:path')
const { getScratch } = require('pnpm-plugin-scratch')

const cache = getScratch('cache', __dirname)        // <store>/${name}/cache
fs.writeFileSync(path.join(cache, 'data.txt'), '${name} was here\\n')
module.exports = cache
`

function writeLibrary(dir, name) {
  fs.mkdirSync(dir, { recursive: true })
  const manifest = {
    name,
    version: '1.0.0',
    description: `demo library: a cache in a scratch space`,
    main: 'index.js',
    license: 'MIT',
    dependencies: { 'pnpm-plugin-scratch': '^0.1.0' },
  }
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  fs.writeFileSync(path.join(dir, 'index.js'), LIBRARY_SOURCE(name))
  return manifest
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const h = await loadHarness()
  const sandbox = h.createSandbox('scratch-demo-')
  sandboxDir = sandbox.dir
  const home = sandbox.env.HOME
  const store = sandbox.store
  let registry

  /** Runs a command in the sandbox, prints `$ display` and its output; fails the demo on a non-zero exit. */
  async function sh(display, promise) {
    console.log(`  ${cyan('$')} ${display}`)
    const result = await promise
    showOutput(result.output)
    if (result.code !== 0) throw new DemoFailure(`\`${display}\` exited with ${result.code ?? result.signal}`)
    return result
  }
  const scratch = (args, cwd = home) => h.run(sandbox, process.execPath, [cli, ...args], { cwd })
  /** `scratch list --json`, quietly: what the checks look at. */
  async function spaces() {
    const result = await scratch(['list', '--json'])
    if (result.code !== 0) throw new DemoFailure(`scratch list --json exited with ${result.code}:\n${result.output}`)
    return JSON.parse(result.stdout).spaces
  }
  const has = (owner) => h.hasSpace(sandbox, owner)
  const usedFrom = (list, owner, dir) => list.some((s) => s.owner === owner && s.key === 'cache' && s.verdict === 'live' && s.projects.includes(dir))
  const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'))

  try {
    console.log(bold('pnpm-plugin-scratch demo: scratch spaces, and their cleanup when packages are uninstalled'))
    note([
      `sandbox ${sandbox.dir}`,
      `  HOME=${home}   (so ~ in the output below is this directory)`,
      `  SCRATCHSPACE_DIR=${store}   (the store; nothing of yours is touched)`,
      `scratch = node ${path.relative(process.cwd(), cli) || cli} (this checkout's CLI)`,
    ].join('\n'))

    // -----------------------------------------------------------------------------------------
    heading('1. Two libraries that use scratch spaces, on a local registry')
    const libraries = path.join(sandbox.dir, 'libraries')
    for (const name of ['fixture-a', 'fixture-b']) writeLibrary(path.join(libraries, name), name)
    console.log(`  ${dim('fixture-a/index.js (fixture-b is the same):')}`)
    for (const line of LIBRARY_SOURCE('fixture-a').trimEnd().split('\n')) console.log(`  ${dim('│')} ${line}`)
    const packed = path.join(sandbox.dir, 'tarballs')
    fs.mkdirSync(packed)
    await sh('npm pack libraries/fixture-a libraries/fixture-b',
      h.run(sandbox, 'npm', ['pack', path.join(libraries, 'fixture-a'), path.join(libraries, 'fixture-b'), '--pack-destination', packed, '--loglevel=error'], { cwd: sandbox.dir }))
    const packages = [h.e2ePackages().self, ...['fixture-a', 'fixture-b'].map((name) => {
      const manifest = readJson(path.join(libraries, name, 'package.json'))
      return { name, version: manifest.version, manifest, tarball: path.join(packed, `${name}-${manifest.version}.tgz`) }
    })]
    for (const pkg of packages) {
      if (!fs.existsSync(pkg.tarball)) throw new DemoFailure(`no tarball for ${pkg.name}: ${pkg.tarball}`)
    }
    registry = await h.startRegistry(packages)
    expectThat(true, `registry ${registry.url} serves ${packages.map((p) => `${p.name}@${p.version}`).join(', ')} (no internet)`)

    // -----------------------------------------------------------------------------------------
    const pnpm = h.pnpm10()
    heading(`2. pnpm ${pnpm.version}: a project with the plugin installs both libraries`)
    const pnpmApp = await h.createProject({ sandbox, pm: pnpm, registry, name: 'home/pnpm-app', route: 'none' })
    await sh('cd ~/pnpm-app && pnpm add --save-dev pnpm-plugin-scratch', h.runPm(pnpmApp, ['add', '--save-dev', 'pnpm-plugin-scratch']))
    await sh('pnpm scratch init', h.run(sandbox, pnpm.bin, ['scratch', 'init'], { cwd: pnpmApp.dir }))
    expectThat(fs.existsSync(path.join(pnpmApp.dir, '.pnpmfile.cjs')), '~/pnpm-app/.pnpmfile.cjs loads the plugin (and does nothing where it is not installed)')
    note('(the other route, one command from a registry: `pnpm add --config pnpm-plugin-scratch`: step 6, with pnpm 12)')
    await sh('cd ~/pnpm-app && pnpm add fixture-a fixture-b', h.runPm(pnpmApp, ['add', 'fixture-a', 'fixture-b']))
    expectThat(['fixture-a', 'fixture-b'].every((name) => fs.existsSync(path.join(pnpmApp.dir, 'node_modules', name, 'package.json'))),
      'fixture-a and fixture-b are in ~/pnpm-app/node_modules')

    heading('3. Running them creates their scratch spaces')
    await sh(`node -e "require('fixture-a'); require('fixture-b')"`, h.runNode(sandbox, "require('fixture-a'); require('fixture-b')", { cwd: pnpmApp.dir }))
    expectThat(has('fixture-a') && has('fixture-b'), 'fixture-a/cache and fixture-b/cache exist in the store',
      `expected ${h.spacePath(sandbox, 'fixture-a')} and ${h.spacePath(sandbox, 'fixture-b')}`)
    await sh('scratch list', scratch(['list']))
    let list = await spaces()
    expectThat(usedFrom(list, 'fixture-a', pnpmApp.dir) && usedFrom(list, 'fixture-b', pnpmApp.dir),
      'both live, used from ~/pnpm-app', `scratch list: ${JSON.stringify(list)}`)

    heading('4. pnpm remove fixture-a: the plugin sweeps its space')
    const removed = await sh('pnpm remove fixture-a', h.runPm(pnpmApp, ['remove', 'fixture-a']))
    expectThat(/pnpm-plugin-scratch: removed 1 scratch space .*fixture-a/.test(removed.output),
      'the plugin reported the sweep', 'the plugin printed no "removed 1 scratch space … fixture-a" line')
    expectThat(!has('fixture-a') && has('fixture-b'), 'fixture-a/cache is gone, fixture-b/cache stays',
      `fixture-a/cache ${has('fixture-a') ? 'still exists' : 'gone'}, fixture-b/cache ${has('fixture-b') ? 'exists' : 'is gone too'}`)
    await sh('scratch list', scratch(['list']))

    // -----------------------------------------------------------------------------------------
    const npm = h.npm()
    heading(`5. npm ${npm.version}: scratch init, install, run, uninstall`)
    const npmApp = await h.createProject({ sandbox, pm: npm, registry, name: 'home/npm-app' })
    await sh('cd ~/npm-app && npm install --save-dev pnpm-plugin-scratch', h.runPm(npmApp, ['install', '--save-dev', 'pnpm-plugin-scratch']))
    await sh('npx pnpm-plugin-scratch init', h.run(sandbox, 'npx', ['pnpm-plugin-scratch', 'init'], { cwd: npmApp.dir }))
    const scripts = readJson(path.join(npmApp.dir, 'package.json')).scripts ?? {}
    expectThat(typeof scripts.dependencies === 'string' && scripts.dependencies.includes("'gc','--project','.'"),
      'package.json has a "dependencies" script: the gc when pnpm-plugin-scratch is installed, nothing (exit 0) when it is not',
      `package.json scripts: ${JSON.stringify(scripts)}`)
    // --foreground-scripts: show what the "dependencies" script prints (npm hides it otherwise).
    await sh('npm install fixture-a fixture-b', h.runPm(npmApp, ['install', 'fixture-a', 'fixture-b', '--foreground-scripts']))
    await sh(`node -e "require('fixture-a'); require('fixture-b')"`, h.runNode(sandbox, "require('fixture-a'); require('fixture-b')", { cwd: npmApp.dir }))
    list = await spaces()
    expectThat(usedFrom(list, 'fixture-a', npmApp.dir) && usedFrom(list, 'fixture-b', npmApp.dir) && usedFrom(list, 'fixture-b', pnpmApp.dir),
      'fixture-a/cache is back (used from ~/npm-app); fixture-b/cache is used from both projects', `scratch list: ${JSON.stringify(list)}`)
    await sh('scratch list', scratch(['list']))
    const uninstalled = await sh('npm uninstall fixture-a', h.runPm(npmApp, ['uninstall', 'fixture-a', '--foreground-scripts']))
    expectThat(/dependencies\n> node -e/.test(uninstalled.output.replace(/\r/g, '')), 'npm ran the "dependencies" script after the uninstall',
      'npm uninstall did not run the "dependencies" script')
    expectThat(!has('fixture-a') && has('fixture-b'), 'the "dependencies" script swept fixture-a/cache; fixture-b/cache stays',
      `fixture-a/cache ${has('fixture-a') ? 'still exists' : 'gone'}, fixture-b/cache ${has('fixture-b') ? 'exists' : 'is gone too'}`)
    await sh('scratch list', scratch(['list']))

    // -----------------------------------------------------------------------------------------
    let provisioned = null
    try {
      provisioned = provisionMajor(12, { onInstall: (spec) => note(`provisioning ${spec} into ${e2eCacheDir()} (about 70 MB, once) …`) })
    } catch (err) {
      heading(`6. pnpm ${PNPM12_VERSION}: skipped`)
      note(`could not provision it (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); it needs the npm registry once`)
    }
    if (provisioned !== null) {
      const pnpm12 = h.pnpm12()
      heading(`6. pnpm ${pnpm12.version}: the plugin as a config dependency`)
      const app12 = await h.createProject({ sandbox, pm: pnpm12, registry, name: 'home/pnpm12-app', route: 'none' })
      await sh('cd ~/pnpm12-app && pnpm add --config pnpm-plugin-scratch', h.runPm(app12, ['add', '--config', 'pnpm-plugin-scratch']))
      expectThat(/pnpm-plugin-scratch/.test(fs.readFileSync(path.join(app12.dir, 'pnpm-workspace.yaml'), 'utf8')),
        'pnpm-workspace.yaml lists pnpm-plugin-scratch under configDependencies')
      await sh('pnpm add fixture-a', h.runPm(app12, ['add', 'fixture-a']))
      await sh(`node -e "require('fixture-a')"`, h.runNode(sandbox, "require('fixture-a')", { cwd: app12.dir }))
      expectThat(has('fixture-a'), 'fixture-a/cache exists again (used from ~/pnpm12-app)')
      const removed12 = await sh('pnpm remove fixture-a', h.runPm(app12, ['remove', 'fixture-a']))
      expectThat(!has('fixture-a') && has('fixture-b') && /pnpm-plugin-scratch: removed 1 scratch space/.test(removed12.output),
        'the plugin (in pnpm 12\'s hook worker) swept fixture-a/cache; fixture-b/cache stays',
        `fixture-a/cache ${has('fixture-a') ? 'still exists' : 'gone'}; plugin lines: ${JSON.stringify(h.pluginLines(removed12))}`)
    }

    // -----------------------------------------------------------------------------------------
    heading('7. scratch gc --dry-run over the whole store')
    await sh('scratch gc --dry-run', scratch(['gc', '--dry-run']))
    const gc = await scratch(['gc', '--dry-run', '--json'])
    const report = gc.code === 0 ? JSON.parse(gc.stdout) : null
    const wouldDelete = report?.spaces.filter((s) => s.action !== 'keep') ?? []
    expectThat(report !== null && wouldDelete.length === 0 && report.spaces.some((s) => s.owner === 'fixture-b' && s.verdict === 'live'),
      'nothing left to collect (the installs already swept); fixture-b/cache is kept',
      report === null ? `scratch gc --dry-run --json exited with ${gc.code}:\n${gc.output}` : `would delete: ${JSON.stringify(wouldDelete)}`)

    // -----------------------------------------------------------------------------------------
    heading('8. The store at a glance, and where its disk went')
    const more = "const fs = require('node:fs'), { getGlobalScratch, getScratch } = require('pnpm-plugin-scratch'); " +
      "fs.writeFileSync(getGlobalScratch('downloads') + '/blob', Buffer.alloc(1 << 20)); " +
      "fs.writeFileSync(getScratch('models', { name: 'old-tool' }) + '/weights', Buffer.alloc(3 << 20))"
    note('two more spaces: 1 MiB in the global namespace, 3 MiB of old-tool (which no project installs)')
    await sh(`node -e "…getGlobalScratch('downloads')…getScratch('models', { name: 'old-tool' })…"`, h.runNode(sandbox, more, { cwd: npmApp.dir }))
    await sh('cd ~/npm-app && scratch status', scratch(['status'], npmApp.dir))
    const status = await scratch(['status', '--json'], npmApp.dir)
    const glance = status.code === 0 ? JSON.parse(status.stdout) : null
    expectThat(glance !== null && glance.spaces === report.spaces.length + 2 && glance.lastSweep !== null && glance.lastSweep.deleted === 1 && glance.wired?.npmScript === true,
      'status: every space, the last automatic sweep (npm would have hidden it), the npm script of ~/npm-app',
      glance === null ? `scratch status --json exited with ${status.code}:\n${status.output}` : `status: ${JSON.stringify(glance)}`)
    await sh('scratch list --by owner', scratch(['list', '--by', 'owner']))
    const byOwner = await scratch(['list', '--by', 'owner', '--json'])
    const owners = byOwner.code === 0 ? JSON.parse(byOwner.stdout).owners : null
    expectThat(owners !== null && owners[0]?.owner === 'old-tool' && owners[0].orphaned === 1 && owners.some((o) => o.owner === 'fixture-b' && o.live === 1),
      'one row per owner, largest first: old-tool (orphaned) leads; fixture-b is live', `scratch list --by owner --json: ${byOwner.output}`)

    console.log(`\n${green(bold('Demo complete'))} in ${seconds(Date.now() - started)}.`)
  } finally {
    await registry?.close()
    if (keep) console.log(dim(`Kept ${sandbox.dir}`))
    else h.removeSandboxes()
  }
}

main().catch((err) => {
  if (err instanceof DemoFailure) {
    console.error(`\n${red(bold('✗ demo failed:'))} ${err.message}`)
  } else {
    console.error(`\n${red(bold('✗ demo crashed:'))} ${err instanceof Error ? err.stack : String(err)}`)
  }
  if (keep && sandboxDir !== '') console.error(`  the sandbox is kept: ${sandboxDir}`)
  else console.error('  run `node scripts/demo.mjs --keep` to keep the sandbox for a look')
  process.exitCode = 1
})
