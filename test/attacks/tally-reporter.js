// Every test in test/attacks is one attack; an attack "held" when its test passed (the defence worked).
class TallyReporter {
	onRunComplete(_contexts, results) {
		const byFile = results.testResults.map((file) => {
			const tried = file.testResults.length;
			const held = file.testResults.filter((test) => test.status === 'passed').length;
			return { name: file.testFilePath.replace(/^.*test\/attacks\//, ''), tried, held };
		});
		const tried = byFile.reduce((sum, file) => sum + file.tried, 0);
		const held = byFile.reduce((sum, file) => sum + file.held, 0);
		const lines = byFile.map((file) => `  ${file.name.padEnd(28)} ${String(file.tried).padStart(5)} tried / ${String(file.held).padStart(5)} held`);
		process.stdout.write(`\nAttacks\n${lines.join('\n')}\n  ${'total'.padEnd(28)} ${String(tried).padStart(5)} tried / ${String(held).padStart(5)} held${tried === held ? '' : `  (${tried - held} NOT held)`}\n`);
	}
}

module.exports = TallyReporter;
