/** End-to-end suites against a real n8n (see test/e2e/harness/n8n.ts); one at a time, minutes per suite. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/test/e2e/**/*.e2e.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
};
