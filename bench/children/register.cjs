// Registers projects the way `scratch register` and the install hooks do: the built gc's registerProject.
// argv: <dist dir> <json file {root, dirs}>
const fs = require('node:fs')
const path = require('node:path')
const { registerProject } = require(path.join(process.argv[2], 'gc.cjs'))
const { root, dirs } = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const statuses = {}
for (const dir of dirs) {
  const report = registerProject(dir, { root })
  statuses[report.status] = (statuses[report.status] ?? 0) + 1
}
console.log(JSON.stringify({ statuses }))
