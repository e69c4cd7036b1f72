import fs from 'node:fs'
import path from 'node:path'
import { decodeLog, type AccessRecord } from '../../src/runtime/access-log'
import { removeTempDirs, tempDir } from '../helpers/tmp'
import { accessLogPath } from '../../src/runtime/layout'

export interface ScratchSandbox {
  /** The test's temp dir; fixtures go here. */
  tmp: string
  /** The store root, `<tmp>/store`, not yet created; `SCRATCHSPACE_DIR` points at it. */
  store: string
}

const ENV_KEYS = ['SCRATCHSPACE_DIR', 'SCRATCHSPACE_TRACK_ACCESS', 'INIT_CWD'] as const

/**
 * Gives every test a fresh temp dir and points `SCRATCHSPACE_DIR` at `<tmp>/store` (never the
 * developer's home); the environment is restored and the dir removed after each test.
 */
export function useSandbox(): ScratchSandbox {
  const box: ScratchSandbox = { tmp: '', store: '' }
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {}
  beforeEach(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key]
    box.tmp = tempDir()
    box.store = path.join(box.tmp, 'store')
    process.env.SCRATCHSPACE_DIR = box.store
    delete process.env.SCRATCHSPACE_TRACK_ACCESS
    delete process.env.INIT_CWD
  })
  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
    jest.restoreAllMocks()
    removeTempDirs()
  })
  return box
}

export function logPath(store: string): string {
  return accessLogPath(store)
}

/** The raw lines of the store's access log (none when it does not exist) and its decoded access records. */
export function readLog(store: string): { lines: string[]; records: AccessRecord[] } {
  let text = ''
  try {
    text = fs.readFileSync(logPath(store), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
  return { lines, records: decodeLog(text).filter((r): r is AccessRecord => r.t === 'access') }
}

export function logSize(store: string): number {
  return fs.statSync(logPath(store)).size
}

/** Writes `<dir>/package.json` with `manifest` (and any extra files), returning `dir`. */
export function writePackage(dir: string, manifest: object, files: Record<string, string> = {}): string {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), content)
  }
  return dir
}

/** A system error with `code`, as fs would throw it (for injecting rare errno values). */
export function errnoError(code: string, syscall = 'mkdir'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall, errno: -1 })
}

type Runtime = typeof import('../../src')

/** The runtime from a fresh module registry, so its once-per-process warning state starts clean. */
export function freshRuntime(): Runtime {
  let runtime: Runtime | undefined
  jest.isolateModules(() => { runtime = require('../../src') as Runtime })
  return runtime!
}

/** Captures what the runtime writes to stderr, one entry per non-empty line (`useSandbox` restores the spy). */
export function captureStderr(): string[] {
  const lines: string[] = []
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((line) => line !== ''))
    return true
  })
  return lines
}
