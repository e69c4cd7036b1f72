// The floor under the first getScratch of a process: the same file-system calls written out by
// hand (owner: two package.json reads; root, space and CACHEDIR.TAG checks; realpath and the
// lockfile check of project detection; one O_APPEND write of a record; the mkdir), without the
// package's code. What it costs is Node's own first-use cost of those calls plus the kernel's.
// argv: <store root> <key>
const start = process.hrtime.bigint()
const fs = require('node:fs')
const path = require('node:path')
const [root, key] = process.argv.slice(2)
const loaded = process.hrtime.bigint()
let manifest = null
for (let dir = __dirname; manifest === null || manifest.name === undefined; dir = path.dirname(dir)) {
  manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
}
const space = path.join(root, manifest.name, key)
fs.existsSync(space)
fs.existsSync(root)
fs.existsSync(path.join(root, 'CACHEDIR.TAG'))
const real = fs.realpathSync.native(__dirname)
const project = real.slice(0, real.indexOf(`${path.sep}node_modules${path.sep}`))
fs.existsSync(path.join(project, 'pnpm-lock.yaml'))
const fd = fs.openSync(path.join(root, '.scratch', 'access.log'), 'a', 0o600)
fs.writeSync(fd, `00000000 ${JSON.stringify({ t: 'access', space: `${manifest.name}/${key}`, owner: manifest.name, project, time: '2000-01-01T00:00:00.000Z', pid: process.pid })}\n`)
fs.closeSync(fd)
fs.mkdirSync(space, { recursive: true, mode: 0o700 })
const done = process.hrtime.bigint()
console.log(JSON.stringify({ requireUs: Number(loaded - start) / 1e3, firstCallUs: Number(done - loaded) / 1e3, dir: space }))
