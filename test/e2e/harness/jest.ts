import { e2ePackages } from './packages'
import { startRegistry, type LocalRegistry } from './registry'
import { removeSandboxes } from './sandbox'

/**
 * The setup an e2e test file shares: one local registry serving the packed packages for the
 * whole file (started in `beforeAll`, so read `.registry` inside tests), and every sandbox
 * removed after each test. Jest-only, so not exported from `index.ts` (the demo bundles that).
 */
export function useRegistry(): { registry: LocalRegistry } {
  const e2e = {} as { registry: LocalRegistry }
  beforeAll(async () => { e2e.registry = await startRegistry(e2ePackages().all) })
  afterAll(async () => { await e2e.registry?.close() })
  afterEach(() => removeSandboxes())
  return e2e
}
