import type * as Yaml from 'yaml'

/**
 * Every document of a YAML stream as plain JS values, or `{ error }` naming the first problem.
 * Duplicate keys are errors. The `yaml` package is loaded here, on first use, so readers and
 * callers that never meet a YAML lockfile do not pay for loading it.
 */
export function parseYamlDocuments(text: string): { docs: unknown[] } | { error: string } {
  const yaml = require('yaml') as typeof Yaml
  const docs = yaml.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false })
  if ('empty' in docs) return docs.errors.length > 0 ? { error: describe(docs.errors[0]) } : { docs: [] }
  const values: unknown[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) return { error: describe(doc.errors[0]) }
    try {
      values.push(doc.toJS())
    } catch (err) {
      // toJS throws for documents it cannot represent, e.g. too many alias expansions.
      return { error: `invalid YAML: ${(err as Error).message}` }
    }
  }
  return { docs: values }
}

function describe(err: Yaml.YAMLError): string {
  return `invalid YAML: ${err.code} ${err.message.split('\n')[0]}`
}
