/** The Reply node's description: found by the words users type, usable as an AI tool, credentials optional per source. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { WhatsAppReply } from '../../nodes/WhatsAppReply/WhatsAppReply.node';

const node = new WhatsAppReply();
const codex = JSON.parse(readFileSync(join(__dirname, '..', '..', 'nodes', 'WhatsAppReply', 'WhatsAppReply.node.json'), 'utf8')) as { alias: string[] };

describe('WhatsApp Reply description', () => {
	it.each(['whatsapp', 'reply', 'responder', 'evolution', 'whazing', 'whaticket'])('n8n\'s node search finds it by "%s" (name or codex alias)', (word) => {
		const searchable = [node.description.displayName, ...codex.alias].map((text) => text.toLowerCase());
		expect(searchable.some((text) => text.includes(word))).toBe(true);
	});

	it('is usable as an AI tool and offers the seven operations', () => {
		expect(node.description.usableAsTool).toBe(true);
		const operation = node.description.properties.find((property) => property.name === 'operation');
		expect((operation?.options ?? []).map((option) => ('value' in option ? option.value : null)).sort()).toEqual(
			['downloadMedia', 'markRead', 'presence', 'react', 'sendMedia', 'sendText', 'sendVoice'].sort(),
		);
	});

	it('takes either credential, neither required, each tested by the node', () => {
		expect(node.description.credentials).toEqual([
			{ name: 'evolutionApi', required: false, testedBy: 'evolutionApiCredentialTest' },
			{ name: 'helpdeskApi', required: false, testedBy: 'helpdeskApiTest' },
		]);
		expect(typeof node.methods.credentialTest.helpdeskApiTest).toBe('function');
		expect(typeof node.methods.credentialTest.evolutionApiCredentialTest).toBe('function');
	});

	it('answers the incoming item by default', () => {
		const item = node.description.properties.find((property) => property.name === 'item');
		expect(item?.default).toBe('={{ $json }}');
		expect(node.description.properties.find((property) => property.name === 'replyTo')?.default).toBe('item');
	});
});
