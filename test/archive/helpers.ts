import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { Header, Pax, type HeaderData } from 'tar'

/**
 * A fresh temp dir per test with SCRATCHSPACE_DIR pointed at `<tmp>/store` (not created), and
 * SCRATCHSPACE_DIR restored afterwards. `tmp()` is the test root, `store()` the store root.
 */
export function useTempStore(): { tmp: () => string; store: () => string } {
  let tmp = ''
  let saved: string | undefined
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-archive-')))
    saved = process.env.SCRATCHSPACE_DIR
    process.env.SCRATCHSPACE_DIR = path.join(tmp, 'store')
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.SCRATCHSPACE_DIR
    else process.env.SCRATCHSPACE_DIR = saved
    makeWritable(tmp)
    fs.rmSync(tmp, { recursive: true, force: true })
  })
  return { tmp: () => tmp, store: () => path.join(tmp, 'store') }
}

function makeWritable(dir: string): void {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(dir)
  } catch {
    return
  }
  if (!stat.isDirectory()) return
  fs.chmodSync(dir, 0o755)
  for (const name of fs.readdirSync(dir)) makeWritable(path.join(dir, name))
}

/** A file's content (and mode), or a link target. */
export type TreeSpec = Record<string, string | { content: string; mode: number } | { link: string } | { dir: true }>

/** Creates `spec` under `dir` (parents as needed). */
export function writeTree(dir: string, spec: TreeSpec): void {
  fs.mkdirSync(dir, { recursive: true })
  for (const [rel, value] of Object.entries(spec)) {
    const abs = path.join(dir, rel)
    if (typeof value === 'object' && 'dir' in value) {
      fs.mkdirSync(abs, { recursive: true })
      continue
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true })
    if (typeof value === 'string') fs.writeFileSync(abs, value)
    else if ('link' in value) fs.symlinkSync(value.link, abs)
    else {
      fs.writeFileSync(abs, value.content)
      fs.chmodSync(abs, value.mode)
    }
  }
}

/** Everything under `dir` as `rel -> description` (type, content or target, and the mode bits). */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (abs: string, rel: string): void => {
    for (const name of fs.readdirSync(abs).sort()) {
      const childAbs = path.join(abs, name)
      const childRel = rel === '' ? name : `${rel}/${name}`
      const stat = fs.lstatSync(childAbs)
      const mode = (stat.mode & 0o777).toString(8)
      if (stat.isSymbolicLink()) out[childRel] = `link -> ${fs.readlinkSync(childAbs)}`
      else if (stat.isDirectory()) {
        out[childRel] = `dir ${mode}`
        walk(childAbs, childRel)
      } else out[childRel] = `file ${mode} ${fs.readFileSync(childAbs, 'utf8')}`
    }
  }
  walk(dir, '')
  return out
}

/** Every path under `dir` (recursively, links not followed), for "nothing else changed" checks. */
export function listAll(dir: string): string[] {
  const out: string[] = []
  const walk = (abs: string, rel: string): void => {
    let names: string[]
    try {
      names = fs.readdirSync(abs)
    } catch {
      return
    }
    for (const name of names.sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`
      out.push(childRel)
      if (fs.lstatSync(path.join(abs, name)).isDirectory()) walk(path.join(abs, name), childRel)
    }
  }
  walk(dir, '')
  return out
}

/** One hand-made tar entry; `pax` fields go into a pax header before it (overriding the header). */
export interface RawEntry extends HeaderData {
  body?: string
  pax?: HeaderData
}

/**
 * A tar archive built block by block, with no checks, so tests can make hostile ones.
 * `end: false` leaves out the end-of-archive marker; `gzip: false` gives plain tar.
 */
export function rawTar(entries: RawEntry[], opts: { end?: boolean; gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = []
  for (const { body, pax, ...data } of entries) {
    if (pax !== undefined) blocks.push(new Pax(pax).encode())
    const content = Buffer.from(body ?? '')
    const block = Buffer.alloc(512)
    new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), size: content.length, type: 'File', ...data }).encode(block)
    blocks.push(block)
    if (content.length > 0) blocks.push(content, Buffer.alloc((512 - (content.length % 512)) % 512))
  }
  if (opts.end !== false) blocks.push(Buffer.alloc(1024))
  const tar = Buffer.concat(blocks)
  return opts.gzip === false ? tar : zlib.gzipSync(tar)
}
