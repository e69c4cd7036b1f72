/** Unit and integration tests run from the TypeScript sources; e2e tests drive the built dist/. */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] }
// The lockfile fixtures are projects, not modules: their package.json files (some with a BOM,
// as real tools accept) must not be read by jest's module map.
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'], modulePathIgnorePatterns: ['<rootDir>/test/fixtures/lockfiles/'] }

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/e2e/', '/test/stress/'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...common, displayName: 'stress', testMatch: ['<rootDir>/test/stress/**/*.test.ts'] },
  ],
}
