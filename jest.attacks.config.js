/** The attack suite (npm run test:attacks): hostile inputs over real sockets on 127.0.0.1; prints "tried / held". */
const base = require('./jest.config');

module.exports = {
	...base,
	testMatch: ['**/test/attacks/**/*.attack.ts'],
	reporters: ['default', '<rootDir>/test/attacks/tally-reporter.js'],
};
