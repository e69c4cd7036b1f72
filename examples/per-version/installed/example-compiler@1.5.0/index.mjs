// One installed version of example-compiler (its package.json holds the version).
import { compiledSpace } from '../../compiled.mjs'

export const space = await compiledSpace(import.meta)
