/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
	// engine.ts imports ZettleInventory.node.js: without the extension tsx would pick the .node.json codex
	moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
	setupFiles: ['<rootDir>/test/support/setup.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/support/teardown.ts'],
	testTimeout: 30000,
};
