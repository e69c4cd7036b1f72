import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PackedPackage } from './packages'

/** A throw-away npm registry on 127.0.0.1 serving a fixed set of tarballs. */
export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/` — what `.npmrc` `registry=` takes. */
  url: string
  port: number
  /** Every request seen, `METHOD /path`, for debugging a failed install. */
  requests: string[]
  close(): Promise<void>
}

// Older than any `minimumReleaseAge` (pnpm ≥ 11 defaults it to a day), so every version is installable.
const PUBLISHED = '2020-01-01T00:00:00.000Z'

function tarballPath(name: string, version: string): string {
  return `/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`
}

/** One version's manifest as published: the package.json plus `dist`. */
function versionDoc(pkg: PackedPackage, base: string): Record<string, unknown> {
  const data = fs.readFileSync(pkg.tarball)
  return {
    ...pkg.manifest,
    _id: `${pkg.name}@${pkg.version}`,
    dist: {
      tarball: new URL(tarballPath(pkg.name, pkg.version).slice(1), base).href,
      integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
      shasum: crypto.createHash('sha1').update(data).digest('hex'),
    },
  }
}

/** The packument npm and pnpm read: the manifest of each version with its `dist`, plus `time`. */
function packument(pkgs: PackedPackage[], base: string): unknown {
  const versions: Record<string, unknown> = {}
  const time: Record<string, string> = { created: PUBLISHED, modified: PUBLISHED }
  for (const pkg of pkgs) {
    versions[pkg.version] = versionDoc(pkg, base)
    time[pkg.version] = PUBLISHED
  }
  const latest = pkgs[pkgs.length - 1].version
  return { _id: pkgs[0].name, name: pkgs[0].name, 'dist-tags': { latest }, versions, time }
}

/** The package and version-or-tag of a `/<name>/<version|tag>` request (pnpm 12 asks `/<name>/latest`). */
function splitVersionRequest(url: string): [string, string] | null {
  const match = /^\/((?:@[^/]+\/)?[^/@]+)\/([^/]+)$/.exec(url)
  return match === null || match[2] === '-' ? null : [match[1], match[2]]
}

/**
 * Starts a registry serving `packages` (packuments at `/<name>`, tarballs at
 * `/<name>/-/<name>-<version>.tgz`) and 404 for everything else, so nothing is ever fetched
 * from the network. Listens on a random port; `close()` stops it.
 */
export async function startRegistry(packages: PackedPackage[]): Promise<LocalRegistry> {
  const byName = new Map<string, PackedPackage[]>()
  for (const pkg of packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg])
  const tarballs = new Map(packages.map((pkg) => [tarballPath(pkg.name, pkg.version), pkg.tarball]))
  const requests: string[] = []
  let base = ''
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0])
    requests.push(`${req.method ?? 'GET'} ${url}`)
    const send = (status: number, body: string | Buffer, type: string): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    const file = tarballs.get(url)
    const versions = byName.get(url.slice(1))
    const versionRequest = splitVersionRequest(url)
    const wanted = versionRequest === null ? undefined : byName.get(versionRequest[0])
      ?.find((pkg, i, all) => pkg.version === versionRequest[1] || (versionRequest[1] === 'latest' && i === all.length - 1))
    if (file !== undefined) send(200, fs.readFileSync(file), 'application/octet-stream')
    else if (versions !== undefined) send(200, JSON.stringify(packument(versions, base)), 'application/json')
    else if (wanted !== undefined) send(200, JSON.stringify(versionDoc(wanted, base)), 'application/json')
    else send(404, JSON.stringify({ error: 'Not found' }), 'application/json')
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}/`
  return {
    url: base,
    port,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
