/**
 * pnpm installs config dependencies before it resolves, and the in-memory lockfile it passes to
 * afterAllResolved leaves them out (pnpm 12.21.0 wrote test/fixtures/lockfiles/
 * pnpm-12.21.0-configdeps-hook/afterAllResolved.json that way). The install-time sweep must
 * still count them as installed, or a config dependency's space goes at the next install.
 */
import fs from 'node:fs'
import path from 'node:path'

import { runGc } from '../../src/gc'
import { hooks } from '../../hooks/pnpm-hook'
import { makeSpace, recordUse } from '../gc/support'
import { useSandbox } from '../runtime/support'
import { FIXTURES } from './fixtures'

const box = useSandbox()

test('the install hook keeps the space of a config dependency the in-memory lockfile does not list', async () => {
  const dir = path.join(box.tmp, 'cfghook')
  fs.cpSync(path.join(FIXTURES, 'pnpm-12.21.0-configdeps-hook'), dir, { recursive: true })
  const resolved = JSON.parse(fs.readFileSync(path.join(dir, 'afterAllResolved.json'), 'utf8')) as { packages: Record<string, unknown> }
  expect(Object.keys(resolved.packages).some((key) => key.startsWith('is-even@'))).toBe(false)
  for (const owner of ['is-even', 'is-odd', 'gone-pkg']) {
    makeSpace(box.store, owner, 'cache')
    recordUse(box.store, { owner, key: 'cache' }, dir)
  }
  await runGc() // the registry learns the project's names from its pnpm-lock.yaml
  recordUse(box.store, { owner: 'is-even', key: 'cache' }, dir)
  makeSpace(box.store, 'was-used', 'cache')
  recordUse(box.store, { owner: 'was-used', key: 'cache' }, dir)

  const lines: string[] = []
  hooks.preResolution({ lockfileDir: dir })
  hooks.afterAllResolved(resolved, { log: (line: string) => lines.push(line) })
  expect(lines.filter((line) => line.includes('warning'))).toEqual([])
  expect(fs.existsSync(path.join(box.store, 'is-even', 'cache'))).toBe(true)
  expect(fs.existsSync(path.join(box.store, 'is-odd', 'cache'))).toBe(true)
  // The sweep still works: a package the project used and no longer lists loses its space.
  expect(fs.existsSync(path.join(box.store, 'was-used', 'cache'))).toBe(false)
})
