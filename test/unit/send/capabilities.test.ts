/** The support matrix (operation × source × version), written out by hand from the upstream facts. */
import {
	evolutionLineOf,
	EVOLUTION_LINES,
	HELPDESK_PRODUCTS,
	refusalFor,
	REPLY_FEATURES,
	type ReplyFeature,
	type SendColumn,
} from '../../../nodes/lib/send/capabilities';

/** Every pair that must be refused; everything else must be allowed. */
const UNSUPPORTED: Record<SendColumn, ReplyFeature[]> = {
	'v1.5': ['presence', 'removeReaction'],
	'v1.6': ['removeReaction'],
	'v2.0': ['removeReaction'],
	'v2.1': ['removeReaction'],
	'v2.3': [],
	whazing: ['quote', 'mentions', 'sendVoice', 'react', 'removeReaction', 'presence', 'markRead'],
	izing: ['quote', 'mentions', 'sticker', 'sendVoice', 'react', 'removeReaction', 'presence', 'markRead'],
	whaticket: ['quote', 'mentions', 'sticker', 'sendVoice', 'react', 'removeReaction', 'presence', 'markRead'],
};

describe('refusalFor', () => {
	const columns = [...EVOLUTION_LINES, ...HELPDESK_PRODUCTS] as SendColumn[];
	for (const column of columns) {
		for (const feature of REPLY_FEATURES) {
			const refused = UNSUPPORTED[column].includes(feature);
			it(`${column} × ${feature} → ${refused ? 'refused' : 'allowed'}`, () => {
				const refusal = refusalFor(feature, column);
				if (refused) expect(refusal).toMatch(/^(Evolution API|Whazing|Izing|Whaticket SaaS) .+: .+/);
				else expect(refusal).toBeNull();
			});
		}
	}

	it('says what to do instead', () => {
		expect(refusalFor('presence', 'v1.5')).toContain('Typing Delay');
		expect(refusalFor('removeReaction', 'v2.1')).toContain('2.3.0');
		expect(refusalFor('sendVoice', 'whazing')).toContain('Send Media with type Audio');
		expect(refusalFor('markRead', 'whaticket')).toContain('by itself');
	});
});

describe('evolutionLineOf', () => {
	it.each([
		['v1', '1.5.4', 'v1.5'],
		['v1', '1.6.0', 'v1.6'],
		['v1', '1.8.1', 'v1.6'],
		['v2.0', '2.0.10', 'v2.0'],
		['v2.1', '2.1.1', 'v2.1'],
		['v2.1', '2.2.3', 'v2.1'],
		['v2.1', '2.3.0', 'v2.3'],
		['v2.1', '2.3.6', 'v2.3'],
		['v1', null, 'v1.6'],
		['v2.0', null, 'v2.0'],
		['v2.1', null, 'v2.1'],
	] as const)('%s %s → %s', (dialect, version, line) => {
		expect(evolutionLineOf({ dialect, version })).toBe(line);
	});
});
