/** The error a step throws; the test fails when the step does not throw. */
export async function failureOf(step: () => Promise<unknown>, expected = 'the step to fail'): Promise<Error> {
	try {
		await step();
	} catch (error) {
		return error as Error;
	}
	throw new Error(`expected ${expected}`);
}
