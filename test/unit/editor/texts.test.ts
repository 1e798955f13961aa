/**
 * What the parameter panels say, read from the node descriptions the editor renders: the Options hint names
 * exactly the options that are on by default, each Whaticket Source shows only its own set-up notice, and the
 * register notice names both n8n generations' words.
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { EvolutionApiTrigger } from '../../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node';
import { WhaticketTrigger } from '../../../nodes/WhaticketTrigger/WhaticketTrigger.node';

function property(node: INodeType, name: string): INodeProperties {
	const found = node.description.properties.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

/** displayOptions.show of a top-level parameter against plain parameter values (what the editor checks). */
function shownWith(item: INodeProperties, values: Record<string, unknown>): boolean {
	const show = item.displayOptions?.show ?? {};
	return Object.entries(show).every(([key, allowed]) => (allowed as unknown[]).includes(values[key]));
}

describe('Options defaults', () => {
	it.each([
		['Evolution API Trigger', new EvolutionApiTrigger()],
		['Whaticket Trigger', new WhaticketTrigger()],
	])('%s: the notice above Options and its description name every option that is on by default, and no other', (_name, node) => {
		const options = property(node, 'options');
		const onByDefault = (options.options as INodeProperties[]).filter((option) => option.default === true).map((option) => option.displayName);
		expect(onByDefault.length).toBeGreaterThan(0);
		const properties = node.description.properties;
		const notice = properties[properties.indexOf(options) - 1];
		expect(notice.type).toBe('notice');
		for (const text of [notice.displayName, String(options.description)]) {
			expect(text).toMatch(/^On by default: /);
			const named = text.replace(/^On by default: /, '').replace(/\. Add .*$/, '').split(', ');
			expect(named.sort()).toEqual([...onByDefault].sort());
		}
	});
});

describe('Whaticket Trigger set-up notices', () => {
	const node = new WhaticketTrigger();
	const notices = node.description.properties.filter((item) => item.type === 'notice' && /setup/i.test(item.name));

	it.each([
		['auto', /Choose your helpdesk in Source/, /Integrações por Canal|Editar Conexão/],
		['whazing', /Integrações por Canal/, /Editar Conexão/],
		['whaticket', /Editar Conexão/, /Integrações por Canal|Whazing/],
	])('Source %s shows one notice with its own steps only', (source, own, others) => {
		const shown = notices.filter((notice) => shownWith(notice, { source }));
		expect(shown).toHaveLength(1);
		expect(shown[0].displayName).toMatch(own);
		expect(shown[0].displayName).not.toMatch(others);
	});

	it('the subtitle names the chosen source', () => {
		expect(node.description.subtitle).toContain('"whazing" ? "Whazing"');
		expect(node.description.subtitle).toContain('"Whaticket SaaS"');
	});
});

describe('Evolution API Trigger register notice', () => {
	const notice = property(new EvolutionApiTrigger(), 'registerNotice').displayName;

	it('says in short bullets what happens to the current webhook, during a test too', () => {
		const lines = notice.split('\n');
		expect(lines.length).toBeGreaterThanOrEqual(5);
		expect(lines.slice(1).every((line) => line.startsWith('• '))).toBe(true);
		expect(notice).toMatch(/receives nothing/);
		expect(notice).toMatch(/put back/);
		expect(notice).toMatch(/the saved webhook receives nothing then either/);
	});

	it('names the words of n8n 1.x and 2.x where they differ', () => {
		for (const words of ['"Listen for test event" in 1.x', '"Execute step"', 'Publish in n8n 2.x', 'Active in 1.x', 'N8N_WEBHOOK_URL (2.x)', 'WEBHOOK_URL (1.x)']) {
			expect(notice).toContain(words);
		}
	});
});
