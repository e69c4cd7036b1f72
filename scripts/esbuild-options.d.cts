// Types of esbuild-options.cjs for the TypeScript that uses it (the stress suite).
import type { BuildOptions, Plugin } from 'esbuild'

export declare const root: string
export declare const version: string
export declare const common: BuildOptions
export declare const runtimeKeys: { api: string; internal: string }
export declare function lazyChunks(opts?: { archive?: string; yaml?: boolean }): Plugin
export interface RuntimeLink { provided: [name: string, index: number][]; own: boolean }
export declare function sharedRuntime(links: Map<string, RuntimeLink>, opts: { load: 'require' | 'global' }): Plugin
export declare function runtimeLinks(entry?: string): Promise<{ list: [file: string, name: string][]; links: Map<string, RuntimeLink> }>
export declare function valueExports(file: string): string[]
export declare function internalLines(list: [file: string, name: string][]): string
