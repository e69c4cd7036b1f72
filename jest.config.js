/** Unit and integration tests run from the TypeScript sources; e2e tests drive the built dist/. */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] }
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] }

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/e2e/', '/test/stress/'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...common, displayName: 'stress', testMatch: ['<rootDir>/test/stress/**/*.test.ts'] },
  ],
}
