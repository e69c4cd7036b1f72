// Types of esbuild-options.cjs for the TypeScript that uses it (the stress suite).
import type { BuildOptions, Plugin } from 'esbuild'

export declare const root: string
export declare const version: string
export declare const common: BuildOptions
export declare const runtimeKeys: { api: string; internal: string }
export declare function lazyChunks(opts?: { archive?: string; yaml?: boolean }): Plugin
export interface RuntimeLink { provided: [name: string, index: number][]; own: boolean }
export interface RuntimeLinks { list: [file: string, name: string][]; links: Map<string, RuntimeLink>; key: string }
export declare function sharedRuntime(shared: RuntimeLinks, opts: { load: 'require' | 'global' }): Plugin
export declare function runtimeLinks(entry?: string): Promise<RuntimeLinks>
export declare function valueExports(file: string): string[]
export declare function internalLines(shared: RuntimeLinks): string
