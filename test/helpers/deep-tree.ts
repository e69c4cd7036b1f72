import fs from 'node:fs'
import path from 'node:path'

/**
 * Builds `<parent>/<name>/<seg>/<seg>/…` (`levels` deep) with a file `leaf` (`bytes` bytes) at
 * the bottom, using short paths only: the chain grows from the bottom up by renaming it into a
 * fresh directory, so no call ever sees a path longer than a few hundred bytes and the process's
 * cwd never changes. Returns the chain's top and the length of its deepest path.
 */
export function deepChain(parent: string, name: string, levels: number, seg = 'dd', bytes = 7): { top: string; deepest: number } {
  const top = path.join(parent, name)
  const wrap = path.join(parent, `${name}.wrap`)
  fs.mkdirSync(top, { recursive: true })
  fs.writeFileSync(path.join(top, 'leaf'), Buffer.alloc(bytes, 1))
  for (let i = 0; i < levels; i++) {
    fs.mkdirSync(wrap)
    fs.renameSync(top, path.join(wrap, seg))
    fs.renameSync(wrap, top)
  }
  return { top, deepest: top.length + levels * (seg.length + 1) + '/leaf'.length }
}
