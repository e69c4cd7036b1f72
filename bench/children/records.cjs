// Writes access records through the built runtime, as packages do at run time: getScratch with the
// owner (and caller) given by name, from the project's directory as cwd (how the runtime attributes
// a name-only caller to a project), or from a directory outside any project (unattributed).
// argv: <dist dir> <json file {root, calls: [{owner|null, key, caller|null, cwd}]}>
const fs = require('node:fs')
const path = require('node:path')
const { getScratch, getGlobalScratch, withScratchDirectory } = require(path.join(process.argv[2], 'index.cjs'))
const { root, calls } = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
let cwd = null
withScratchDirectory(root, () => {
  for (const call of calls) {
    if (call.cwd !== cwd) process.chdir(cwd = call.cwd)
    const opts = call.caller === null || call.caller === call.owner ? undefined : { caller: { name: call.caller } }
    if (call.owner === null) getGlobalScratch(call.key, opts)
    else getScratch(call.key, { name: call.owner }, opts)
  }
})
console.log(JSON.stringify({ calls: calls.length }))
