/** The yarn plugin's hook never throws (a throwing hook fails the yarn command) and says at most one line. */
import fs from 'node:fs'
import path from 'node:path'
import { afterAllInstalled, hooks } from '../../hooks/yarn-plugin'
import { removeTempDirs, tempDir } from '../helpers/tmp'

let saved: string | undefined
beforeEach(() => { saved = process.env.SCRATCHSPACE_DIR })
afterEach(() => {
  if (saved === undefined) delete process.env.SCRATCHSPACE_DIR
  else process.env.SCRATCHSPACE_DIR = saved
  jest.restoreAllMocks()
  removeTempDirs()
})

function recorder(): { report: { reportInfo: jest.Mock; reportWarning: jest.Mock }; lines: () => string[] } {
  const report = { reportInfo: jest.fn(), reportWarning: jest.fn() }
  return { report, lines: () => [...report.reportInfo.mock.calls, ...report.reportWarning.mock.calls].map((call) => call[1] as string) }
}

test('the gc bundle hands the hook to the plugin file as yarnHooks (test/integration/yarn-plugin-file.test.ts loads that file)', () => {
  expect(hooks).toEqual({ afterAllInstalled })
  expect((require('../../hooks/gc-entry') as typeof import('../../hooks/gc-entry')).yarnHooks).toBe(hooks)
})

test.each([
  ['no project', undefined],
  ['a project without cwd', {}],
  ['a cwd that is not a string', { cwd: 42 }],
])('%s: one warning, no throw', (_label, project) => {
  process.env.SCRATCHSPACE_DIR = path.join(tempDir(), 'store')
  const { report, lines } = recorder()
  expect(() => afterAllInstalled(project as never, { report })).not.toThrow()
  expect(report.reportWarning).toHaveBeenCalledTimes(1)
  expect(lines()).toEqual([expect.stringMatching(/^pnpm-plugin-scratch: warning: /)])
})

test('a project whose lockfile cannot be read: one warning naming it, nothing swept, no throw', () => {
  process.env.SCRATCHSPACE_DIR = path.join(tempDir(), 'store')
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"app"}')
  fs.writeFileSync(path.join(dir, 'yarn.lock'), '__metadata: [broken\n')
  const { report, lines } = recorder()
  afterAllInstalled({ cwd: dir }, { report })
  expect(lines()).toEqual([expect.stringContaining(dir)])
})

test('a store that cannot be created (its parent is a file): one warning, no throw', () => {
  const file = path.join(tempDir(), 'file')
  fs.writeFileSync(file, '')
  process.env.SCRATCHSPACE_DIR = path.join(file, 'store')
  const dir = tempDir()
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"app"}')
  fs.writeFileSync(path.join(dir, 'yarn.lock'), '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  languageName: unknown\n  linkType: soft\n')
  const { report, lines } = recorder()
  expect(() => afterAllInstalled({ cwd: dir }, { report })).not.toThrow()
  expect(lines()).toHaveLength(1)
  expect(report.reportWarning).toHaveBeenCalledTimes(1)
})

test('a report that throws, or none at all: the hook still returns; without a report the line goes to stderr', () => {
  process.env.SCRATCHSPACE_DIR = path.join(tempDir(), 'store')
  const throwing = { reportWarning: () => { throw new Error('reporter closed') } }
  expect(() => afterAllInstalled(undefined, { report: throwing })).not.toThrow()
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
  afterAllInstalled(undefined)
  expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^pnpm-plugin-scratch: warning: .*\n$/))
})
