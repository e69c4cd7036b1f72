// Cost of loading a module from CommonJS: time around require(), and the process's peak RSS.
// argv: <module path or '-' for nothing>
const target = process.argv[2]
const start = process.hrtime.bigint()
if (target !== '-') require(target)
const loadUs = Number(process.hrtime.bigint() - start) / 1e3
console.log(JSON.stringify({ loadUs, maxRssKb: process.resourceUsage().maxRSS }))
