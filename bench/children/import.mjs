// Cost of loading a module from ESM: time around import(), and the process's peak RSS.
// argv: <module specifier or '-' for nothing>
const target = process.argv[2]
const start = process.hrtime.bigint()
if (target !== '-') await import(target)
const loadUs = Number(process.hrtime.bigint() - start) / 1e3
console.log(JSON.stringify({ loadUs, maxRssKb: process.resourceUsage().maxRSS }))
