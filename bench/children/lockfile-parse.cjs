// One lockfile read, timed in-process after the parser is loaded and warmed up, `reps` times:
//   ours     — readLockfile(file) from src/lockfiles (bundled by the suite): read + parse + checks
//   official — the file read plus the format's official parser: @pnpm/lockfile.fs readWantedLockfile
//              (pnpm v9), yaml parseAllDocuments (pnpm v6, which @pnpm/lockfile.fs reads as empty),
//              @yarnpkg/parsers parseSyml (berry), @yarnpkg/lockfile parse (yarn 1), JSON.parse
//              (npm, deno), yaml.parse (bun.lock is JSONC; YAML flow syntax reads it as is)
// argv: <mode> <format> <file> <reps> <internals bundle>
// Prints {"samples": [ms, …]}.
const fs = require('node:fs')
const path = require('node:path')
const [mode, format, file, repsArg, internals] = process.argv.slice(2)
const reps = Number(repsArg)

function official() {
  switch (format) {
    case 'pnpm-v9': {
      const { readWantedLockfile } = require('@pnpm/lockfile.fs')
      return () => readWantedLockfile(path.dirname(file), { ignoreIncompatible: false })
    }
    case 'pnpm-v6': {
      const yaml = require('yaml')
      return () => yaml.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS())
    }
    case 'berry': {
      const { parseSyml } = require('@yarnpkg/parsers')
      return () => parseSyml(fs.readFileSync(file, 'utf8'))
    }
    case 'yarn1': {
      const lockfile = require('@yarnpkg/lockfile')
      return () => lockfile.parse(fs.readFileSync(file, 'utf8'))
    }
    case 'npm': case 'deno': return () => JSON.parse(fs.readFileSync(file, 'utf8'))
    case 'bun': {
      const yaml = require('yaml')
      return () => yaml.parse(fs.readFileSync(file, 'utf8'))
    }
    default: throw new Error(`unknown format ${format}`)
  }
}

function ours() {
  const { readLockfile } = require(internals)
  return () => {
    const read = readLockfile(file)
    if (!read.ok) throw new Error(read.reason)
    return read
  }
}

async function main() {
  const step = mode === 'ours' ? ours() : official()
  for (let i = 0; i < 3; i++) await step()
  const samples = []
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint()
    await step()
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  console.log(JSON.stringify({ samples }))
}
main()
