// What yarn does with a plugin on every command, before it knows whether it will install: require
// the file and call its factory. Timed in CPU (the file is read from the page cache).
// argv: <plugin file>
const c0 = process.cpuUsage()
const plugin = require(process.argv[2])
const hooks = plugin.factory(require).hooks
const c = process.cpuUsage(c0)
console.log(JSON.stringify({ loadMs: (c.user + c.system) / 1000, hooks: Object.keys(hooks) }))
