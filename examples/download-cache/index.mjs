// Example: a download cache filled on first use.
//
//   node index.mjs     (SCRATCHSPACE_DIR=/tmp/some-store node index.mjs for a throw-away store)
//
// Starts a small HTTP server on 127.0.0.1 (random port; nothing goes to the internet) standing in
// for a dataset site, then asks the library for the same dataset twice: the first call downloads
// it into the scratch space, the second finds it there. Run it again: both calls say "cached".
import fs from 'node:fs'
import http from 'node:http'
import { scratchDir } from 'pnpm-plugin-scratch'
import { downloadDataset } from './datasets.mjs'

const DATASETS = {
  '/datasets/iris.csv': 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n',
}

let requests = 0
const server = http.createServer((req, res) => {
  requests += 1
  const body = DATASETS[req.url]
  res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/csv' })
  res.end(body ?? 'not found\n')
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const baseUrl = `http://127.0.0.1:${server.address().port}/datasets/`

try {
  console.log(`store:          ${scratchDir()}`)
  console.log(`dataset server: ${baseUrl} (loopback only)`)
  for (const attempt of ['first call', 'second call']) {
    const { file, from } = await downloadDataset('iris', baseUrl)
    console.log(`${`${attempt}:`.padEnd(15)} iris ${from} -> ${file} (${fs.statSync(file).size} bytes)`)
  }
  console.log(`${'requests:'.padEnd(15)} ${requests} to the dataset server`)
} finally {
  server.close()
}
