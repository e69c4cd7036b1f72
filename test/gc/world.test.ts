/**
 * assessWorld's `asked`: the install hook asks the world about a few names only. The names it
 * asks about must be live exactly when a full assessment says so, attributed to the same first
 * project; with few names (a scan per name) and with many (a lookup per listed name).
 */
import fs from 'node:fs'
import path from 'node:path'
import { assessWorld } from '../../src/gc/world'
import { emptyRegistry } from '../../src/store/registry'
import type { History } from '../../src/store/history'
import { removeTempDirs, tempDir } from '../helpers/tmp'

afterEach(removeTempDirs)

function pnpmProject(dir: string, deps: string[]): string {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), dependencies: Object.fromEntries(deps.map((d) => [d, '^1.0.0'])) }))
  fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), [
    "lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:',
    ...deps.flatMap((dep) => [`      ${dep}:`, '        specifier: ^1.0.0', '        version: 1.0.0']), '',
    'packages:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0:`, `    resolution: {integrity: sha512-${dep}}`, '']),
    'snapshots:', '', ...deps.flatMap((dep) => [`  ${dep}@1.0.0: {}`, '']),
  ].join('\n'))
  return dir
}

test('liveNames restricted to the asked names agrees with the full one', () => {
  const tmp = tempDir()
  const many = Array.from({ length: 30 }, (_, i) => `dep-${i}`)
  const dirs = [
    pnpmProject(path.join(tmp, 'a'), ['shared', 'only-a', ...many.slice(0, 20)]),
    pnpmProject(path.join(tmp, 'b'), ['shared', 'only-b', ...many.slice(10)]),
    pnpmProject(path.join(tmp, 'c'), ['only-c']),
  ]
  const history = { projects: new Map(dirs.map((dir) => [dir, null])) } as unknown as History
  const full = assessWorld(emptyRegistry(), history, Date.now())
  for (const asked of [new Set(['shared', 'only-b', 'nowhere']), new Set([...many, 'only-c', 'b', 'nowhere'])]) {
    const some = assessWorld(emptyRegistry(), history, Date.now(), new Map(), asked)
    const expected = new Map([...full.liveNames].filter(([name]) => asked.has(name)))
    expect(some.liveNames).toEqual(expected)
    expect(some.projects).toEqual(full.projects)
  }
  expect(full.liveNames.get('shared')).toBe(dirs[0])
  expect(full.liveNames.get('dep-15')).toBe(dirs[0])
  expect(full.liveNames.get('dep-25')).toBe(dirs[1])
  expect(assessWorld(emptyRegistry(), history, Date.now(), new Map(), new Set()).liveNames.size).toBe(0)
})
