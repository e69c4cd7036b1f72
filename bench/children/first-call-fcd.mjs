// What a library would use instead: find-cache-dir's first call in a fresh process
// ({name, create: true}, from the project, a new name per process so it creates the directory),
// and its import before it. argv: <project dir> <name>
const start = process.hrtime.bigint()
const { default: findCacheDirectory } = await import('find-cache-dir')
const loaded = process.hrtime.bigint()
const dir = findCacheDirectory({ name: process.argv[3], create: true, cwd: process.argv[2] })
const done = process.hrtime.bigint()
console.log(JSON.stringify({ importUs: Number(loaded - start) / 1e3, firstCallUs: Number(done - loaded) / 1e3, dir }))
