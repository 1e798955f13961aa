/**
 * The user documentation cannot drift from the code: both READMEs share one structure and the same code
 * blocks, every relative link resolves, the event and field tables match the catalog and the zod model,
 * the example workflows only use parameters our nodes have, and the codex links land on real headings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, resolve } from 'path';

import type { INodeProperties, INodePropertyCollection, INodeType } from 'n8n-workflow';
import { z } from 'zod';

import { EvolutionApi } from '../../credentials/EvolutionApi.credentials';
import { EvolutionApi as EvolutionApiNode } from '../../nodes/EvolutionApi/EvolutionApi.node';
import { EvolutionApiTrigger } from '../../nodes/EvolutionApiTrigger/EvolutionApiTrigger.node';
import { EvolutionApiWebhook } from '../../nodes/EvolutionApiWebhook/EvolutionApiWebhook.node';
import { EVOLUTION_EVENTS } from '../../nodes/lib/evolution/events';
import { NORMALIZED_EVENT_NAMES } from '../../nodes/lib/model/event-names';
import { normalizedItemSchema } from '../../nodes/lib/model/item';
import { WhaticketTrigger } from '../../nodes/WhaticketTrigger/WhaticketTrigger.node';
import { WhatsAppReply } from '../../nodes/WhatsAppReply/WhatsAppReply.node';

const ROOT = resolve(__dirname, '..', '..');
const README = 'README.md';
const README_PT = 'README.pt-BR.md';
const LINKED_DOCS = [README, README_PT, 'CONTRIBUTING.md', 'CHANGELOG.md', 'docs/protocol.md'];
const PROTOCOL = 'docs/protocol.md';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };
const OUR_NODES: INodeType[] = [new EvolutionApiNode(), new EvolutionApiTrigger(), new EvolutionApiWebhook(), new WhaticketTrigger(), new WhatsAppReply()];
const OUR_NODE_TYPES = new Map(OUR_NODES.map((node) => [`${PACKAGE.name}.${node.description.name}`, node]));
/** Core nodes the examples may use: ones present in every n8n version we support. */
const CORE_NODE_TYPES = new Set(['n8n-nodes-base.if', 'n8n-nodes-base.httpRequest', 'n8n-nodes-base.noOp', 'n8n-nodes-base.stickyNote', 'n8n-nodes-base.rabbitmqTrigger']);
/** Core triggers among them (they have no input). */
const CORE_TRIGGER_TYPES = new Set(['n8n-nodes-base.rabbitmqTrigger']);

function read(file: string): string {
	return readFileSync(join(ROOT, file), 'utf8');
}

// ---- a small Markdown reader (enough for GitHub-flavoured READMEs) -------------------------------

interface Heading {
	level: number;
	text: string;
	slug: string;
}

interface Markdown {
	headings: Heading[];
	codeBlocks: string[];
	/** The text outside fenced code blocks, one entry per line. */
	proseLines: string[];
}

function parseMarkdown(text: string): Markdown {
	const headings: Heading[] = [];
	const codeBlocks: string[] = [];
	const proseLines: string[] = [];
	const slugCounts = new Map<string, number>();
	let fence: { marker: string; indent: number; lines: string[] } | null = null;
	for (const line of text.split(/\r?\n/)) {
		const fenceMatch = /^(\s*)(`{3,}|~{3,})/.exec(line);
		if (fence) {
			if (fenceMatch && fenceMatch[2].startsWith(fence.marker) && line.trim() === fenceMatch[2]) {
				codeBlocks.push(fence.lines.join('\n'));
				fence = null;
			} else {
				// List-nested fences are indented; compare their content without that indent.
				fence.lines.push(line.slice(Math.min(fence.indent, line.length - line.trimStart().length)));
			}
			continue;
		}
		if (fenceMatch) {
			fence = { marker: fenceMatch[2], indent: fenceMatch[1].length, lines: [line.trim()] };
			continue;
		}
		proseLines.push(line);
		const headingMatch = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (headingMatch) {
			const base = githubSlug(headingMatch[2]);
			const seen = slugCounts.get(base) ?? 0;
			slugCounts.set(base, seen + 1);
			headings.push({ level: headingMatch[1].length, text: headingMatch[2], slug: seen === 0 ? base : `${base}-${seen}` });
		}
	}
	if (fence) throw new Error('unclosed code fence');
	return { headings, codeBlocks, proseLines };
}

/** GitHub's anchor for a heading (github-slugger): rendered text, lower case, punctuation dropped, spaces → "-". */
function githubSlug(headingSource: string): string {
	const rendered = headingSource
		.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[`*~]/g, '');
	return rendered
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

interface Link {
	line: number;
	target: string;
}

function linksOf(markdown: Markdown): Link[] {
	const links: Link[] = [];
	markdown.proseLines.forEach((line, index) => {
		const withoutCode = line.replace(/`[^`]*`/g, '');
		for (const match of withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1] });
		for (const match of withoutCode.matchAll(/<(?:a|img)\b[^>]*\b(?:href|src)="([^"]+)"/g)) links.push({ line: index + 1, target: match[1] });
	});
	return links;
}

function isExternal(target: string): boolean {
	return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** What is wrong with a relative link, or null when it resolves (file, and heading when it has an #anchor). */
function brokenLink(fromFile: string, target: string): string | null {
	const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
	const file = pathPart === '' ? fromFile : join(dirname(fromFile), decodeURIComponent(pathPart));
	const absolute = join(ROOT, file);
	if (!existsSync(absolute)) return `${target}: ${file} does not exist`;
	if (anchor === undefined || anchor === '') return null;
	if (statSync(absolute).isDirectory() || !file.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
	const slugs = parseMarkdown(read(file)).headings.map((heading) => heading.slug);
	return slugs.includes(decodeURIComponent(anchor)) ? null : `${target}: no heading "#${anchor}" in ${file}`;
}

/** Table rows (outside code) as trimmed cells; tables are runs of lines starting with "|". */
function tablesOf(markdown: Markdown): string[][][] {
	const tables: string[][][] = [];
	let current: string[][] | null = null;
	for (const line of markdown.proseLines) {
		if (!line.trimStart().startsWith('|')) {
			current = null;
			continue;
		}
		const cells = line
			.trim()
			.replace(/^\||\|$/g, '')
			.split('|')
			.map((cell) => cell.trim());
		if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
		if (!current) {
			current = [];
			tables.push(current);
		}
		current.push(cells);
	}
	return tables;
}

/** The one table that has a body row matching `isMarker`; its body rows (the header row dropped). */
function tableWith(markdown: Markdown, isMarker: (row: string[]) => boolean): string[][] {
	const found = tablesOf(markdown).filter((table) => table.slice(1).some(isMarker));
	if (found.length !== 1) throw new Error(`expected exactly one table with the marker row, found ${found.length}`);
	return found[0].slice(1);
}

function code(value: string): string {
	return `\`${value}\``;
}

// ---- the normalized model's field paths -----------------------------------------------------------

function unwrapped(schema: z.ZodTypeAny): z.ZodTypeAny {
	let inner = schema;
	while (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodTypeAny;
	return inner;
}

/** Every field path of a schema: `chat`, `chat.id`, `ticket.tags`, `ticket.tags[].name`… */
function fieldPaths(schema: z.ZodTypeAny, prefix = ''): string[] {
	const inner = unwrapped(schema);
	if (inner instanceof z.ZodArray) return fieldPaths(inner.element as z.ZodTypeAny, `${prefix}[]`);
	if (!(inner instanceof z.ZodObject)) return [];
	return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([key, value]) => {
		const path = prefix === '' ? key : `${prefix}.${key}`;
		return [path, ...fieldPaths(value, path)];
	});
}

const MODEL_FIELDS = fieldPaths(normalizedItemSchema);

// ---- the tests -------------------------------------------------------------------------------------

const english = parseMarkdown(read(README));
const portuguese = parseMarkdown(read(README_PT));
const readmes: Array<[string, Markdown]> = [
	[README, english],
	[README_PT, portuguese],
];

describe('README.md and README.pt-BR.md', () => {
	it('start with the two set-up commands right after the title, then link to each other', () => {
		for (const [file, markdown] of readmes) {
			const text = read(file);
			const afterTitle = text.split(/\r?\n/).slice(1).join('\n').trimStart();
			expect(afterTitle.startsWith('```sh\nnpm install && npm run dev')).toBe(true);
			expect(markdown.codeBlocks[0]).toBe(english.codeBlocks[0]);
			expect(markdown.codeBlocks[0]).toMatch(/npm install && npm run dev[^\n]*\nnpm install && npm test/);
		}
		expect(linksOf(english).some((link) => link.target === README_PT)).toBe(true);
		expect(linksOf(portuguese).some((link) => link.target === README)).toBe(true);
	});

	it('have the same heading structure: same levels, same count, same order', () => {
		expect(english.headings.length).toBeGreaterThan(10);
		expect(portuguese.headings.map((heading) => heading.level)).toEqual(english.headings.map((heading) => heading.level));
	});

	it('have the same fenced code blocks, identical content, in the same order', () => {
		expect(english.codeBlocks.length).toBeGreaterThan(2);
		expect(portuguese.codeBlocks).toEqual(english.codeBlocks);
	});

	it('keep the anchors the codex and credential link to', () => {
		const slugs = english.headings.map((heading) => heading.slug);
		for (const anchor of ['credential', 'evolution-api-trigger', 'evolution-api-actions', 'whaticket-trigger']) expect(slugs).toContain(anchor);
	});
});

describe('relative links and images', () => {
	it.each(LINKED_DOCS)('%s: every relative link resolves to a file, and every #anchor to a heading', (file) => {
		const markdown = parseMarkdown(read(file));
		const links = linksOf(markdown).filter((link) => !isExternal(link.target));
		if (file.startsWith('README')) expect(links.length).toBeGreaterThan(5);
		const broken = links.map((link) => brokenLink(file, link.target)).filter((problem): problem is string => problem !== null);
		expect(broken).toEqual([]);
	});

	it('the link checker itself rejects a missing file and a missing heading', () => {
		expect(brokenLink(README, 'no-such-file.md')).toMatch(/does not exist/);
		expect(brokenLink(README, '#no-such-heading')).toMatch(/no heading/);
		expect(brokenLink(README, 'CONTRIBUTING.md#the-two-commands')).toBeNull();
	});

	it('slugs headings the way GitHub does', () => {
		expect(githubSlug('"Unrecognized node type" after an upgrade')).toBe('unrecognized-node-type-after-an-upgrade');
		expect(githubSlug('Sincronização com CRM via `externalKey`')).toBe('sincronização-com-crm-via-externalkey');
		expect(githubSlug('v2.1 – 2.2 & more')).toBe('v21--22--more');
	});
});

/** Every file under `folder` (recursively) whose name ends with one of `extensions`. */
function filesUnder(folder: string, extensions: string[]): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) found.push(...filesUnder(path, extensions));
		else if (extensions.some((extension) => entry.name.endsWith(extension))) found.push(path);
	}
	return found;
}

describe('docs/protocol.md', () => {
	it('has the sections code comments point at', () => {
		const titles = parseMarkdown(read(PROTOCOL)).headings.filter((heading) => heading.level === 2).map((heading) => heading.text);
		expect(titles).toEqual(['Dialects', 'Event catalog', 'Delivery envelope', 'Retries', 'Registration lifecycle', 'Helpdesk payloads']);
	});

	it('every anchor into docs/protocol.md named in the sources, tests and scripts is a heading there', () => {
		const sources = ['nodes', 'credentials', 'test', 'scripts', 'bench'].flatMap((folder) => filesUnder(folder, ['.ts', '.js', '.mjs', '.md']));
		const references = sources.flatMap((file) =>
			[...read(file).matchAll(/docs\/protocol\.md#([\w-]+)/g)].map((match) => ({ file, anchor: match[1] })),
		);
		expect(references.length).toBeGreaterThan(0);
		const broken = references
			.map(({ file, anchor }) => {
				const problem = brokenLink(PROTOCOL, `#${anchor}`);
				return problem === null ? null : `${file}: ${problem}`;
			})
			.filter((problem): problem is string => problem !== null);
		expect(broken).toEqual([]);
	});
});

describe('the compatibility table', () => {
	/** Paths in backticks that name test files or folders (a `*` matches within one folder). */
	function testPathsOf(markdown: Markdown): string[] {
		const paths = markdown.proseLines.flatMap((line) => [...line.matchAll(/`(test\/[\w\-./*]+)`/g)].map((match) => match[1]));
		return [...new Set(paths)];
	}

	function exists(path: string): boolean {
		if (!path.includes('*')) return existsSync(join(ROOT, path));
		const folder = dirname(path);
		const pattern = new RegExp(`^${path.slice(folder.length + 1).replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
		return existsSync(join(ROOT, folder)) && readdirSync(join(ROOT, folder)).some((entry) => pattern.test(entry));
	}

	it.each(readmes)('%s names only test files that exist', (_file, markdown) => {
		const paths = testPathsOf(markdown);
		expect(paths.length).toBeGreaterThan(3);
		expect(paths.filter((path) => !exists(path))).toEqual([]);
	});
});

describe('the Evolution event table', () => {
	it.each(readmes)('%s lists every catalog event, once, with its delivered and normalized names', (_file, markdown) => {
		const rows = tableWith(markdown, (row) => row[1] === code('MESSAGES_UPSERT'));
		const byConfig = new Map(rows.map((row) => [row[1], row]));
		expect(rows.map((row) => row[1])).toEqual(EVOLUTION_EVENTS.map((entry) => code(entry.config)));
		for (const entry of EVOLUTION_EVENTS) {
			const row = byConfig.get(code(entry.config));
			expect({ config: entry.config, emitted: row?.[2], normalized: row?.[3] }).toEqual({
				config: entry.config,
				emitted: code(entry.emitted),
				normalized: code(entry.normalized),
			});
		}
	});
});

describe('the normalized item tables', () => {
	it('the model has the fields the field table is checked against', () => {
		expect(MODEL_FIELDS).toEqual(expect.arrayContaining(['source', 'chat.phone', 'message.media.hasBase64', 'ticket.externalKey', 'ticket.tags[].name', 'ticket.queue.id', 'raw']));
	});

	it.each(readmes)('%s documents every field of the model (nested ones too) and no field the model lacks', (_file, markdown) => {
		const rows = tableWith(markdown, (row) => row[0] === code('source'));
		expect(rows.map((row) => row[0]).sort()).toEqual(MODEL_FIELDS.map(code).sort());
	});

	it.each(readmes)('%s lists every stable event name, and only those', (_file, markdown) => {
		const rows = tableWith(markdown, (row) => row[0] === code('tags.synced'));
		expect(rows.map((row) => row[0]).sort()).toEqual([...NORMALIZED_EVENT_NAMES].map(code).sort());
	});
});

// ---- example workflows -----------------------------------------------------------------------------

interface ExampleNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
}

interface ExampleWorkflow {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }>>>>;
}

const EXAMPLES_DIR = join(ROOT, 'examples');
const EXAMPLE_FILES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

/** Whether a property is shown for these parameters (plain `show` rules on sibling parameters only). */
function isShown(property: INodeProperties, parameters: Record<string, unknown>): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) => {
		if (name.startsWith('/') || name.startsWith('@')) return true;
		const value = parameters[name];
		return Array.isArray(allowed) && allowed.includes(value as never);
	});
}

/** What is wrong with one value for one property, or null. */
function badValue(property: INodeProperties | INodePropertyCollection, value: unknown, path: string): string[] {
	if (!('type' in property) || isExpression(value)) return [];
	// Values of a server-filled dropdown (the instance list) are only known at run time.
	if (property.typeOptions?.loadOptionsMethod) return typeof value === 'string' ? [] : [`${path}: not text`];
	const allowed = (property.options ?? []).flatMap((option) => ('value' in option ? [option.value] : []));
	switch (property.type) {
		case 'options':
			return allowed.includes(value as string) ? [] : [`${path}: "${String(value)}" is not one of ${allowed.join(', ')}`];
		case 'multiOptions':
			return Array.isArray(value) ? value.filter((entry) => !allowed.includes(entry as string)).map((entry) => `${path}: "${String(entry)}" is not an option`) : [`${path}: not a list`];
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${path}: not true/false`];
		case 'string':
			return typeof value === 'string' ? [] : [`${path}: not text`];
		case 'collection':
			if (typeof value !== 'object' || value === null) return [`${path}: not an object`];
			return Object.entries(value as Record<string, unknown>).flatMap(([name, inner]) => {
				const option = (property.options ?? []).find((entry): entry is INodeProperties => 'name' in entry && entry.name === name && 'type' in entry);
				return option ? badValue(option, inner, `${path}.${name}`) : [`${path}.${name}: no such option`];
			});
		default:
			return [];
	}
}

/** Problems with our node's parameters in an example: unknown names, hidden parameters, invalid values. */
function parameterProblems(node: INodeType, parameters: Record<string, unknown>): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(parameters)) {
		const candidates = node.description.properties.filter((property) => property.name === name);
		if (candidates.length === 0) {
			problems.push(`${name}: no such parameter`);
			continue;
		}
		const shown = candidates.filter((property) => isShown(property, parameters));
		if (shown.length === 0) {
			problems.push(`${name}: hidden for these settings`);
			continue;
		}
		const perCandidate = shown.map((property) => badValue(property, value, name));
		if (perCandidate.every((list) => list.length > 0)) problems.push(...perCandidate[0]);
	}
	return problems;
}

describe('example workflows', () => {
	it('there are the five documented examples', () => {
		expect(EXAMPLE_FILES).toEqual(['auto-reply-bot.json', 'connection-monitor.json', 'crm-sync.json', 'rabbitmq-bot.json', 'whazing-crm-reply.json']);
	});

	it.each(readmes)('%s links every example', (_file, markdown) => {
		const targets = linksOf(markdown).map((link) => link.target);
		for (const file of EXAMPLE_FILES) expect(targets).toContain(`examples/${file}`);
	});

	describe.each(EXAMPLE_FILES)('%s', (file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
		const names = new Set(workflow.nodes.map((node) => node.name));

		it('is a workflow: named, unique node names and ids, our nodes or core nodes only', () => {
			expect(typeof workflow.name).toBe('string');
			expect(names.size).toBe(workflow.nodes.length);
			expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
			for (const node of workflow.nodes) {
				expect({ node: node.name, known: OUR_NODE_TYPES.has(node.type) || CORE_NODE_TYPES.has(node.type) }).toEqual({ node: node.name, known: true });
				expect(node.position).toHaveLength(2);
			}
			expect(workflow.nodes.some((node) => OUR_NODE_TYPES.has(node.type))).toBe(true);
		});

		it('connects only nodes that exist, and every non-trigger node has an input', () => {
			const targets = new Set<string>();
			for (const [source, outputs] of Object.entries(workflow.connections)) {
				expect(names).toContain(source);
				for (const output of outputs.main ?? []) {
					for (const connection of output) {
						expect(names).toContain(connection.node);
						expect(connection.type).toBe('main');
						targets.add(connection.node);
					}
				}
			}
			for (const node of workflow.nodes) {
				const isTrigger = OUR_NODE_TYPES.get(node.type)?.description.group.includes('trigger') ?? CORE_TRIGGER_TYPES.has(node.type);
				if (!isTrigger && node.type !== 'n8n-nodes-base.stickyNote') expect(targets).toContain(node.name);
			}
		});

		it('gives every trigger a fixed webhookId and carries no credential ids', () => {
			for (const node of workflow.nodes) {
				const ours = OUR_NODE_TYPES.get(node.type);
				if (ours?.description.webhooks) expect(node.webhookId).toMatch(UUID);
				for (const credential of Object.values(node.credentials ?? {})) expect(credential.id).toBeUndefined();
			}
		});

		it('uses only parameters, options and values our nodes have, and our credential by its type name', () => {
			const credentialName = new EvolutionApi().name;
			for (const node of workflow.nodes) {
				const ours = OUR_NODE_TYPES.get(node.type);
				if (ours) {
					expect({ node: node.name, typeVersion: node.typeVersion, problems: parameterProblems(ours, node.parameters) }).toEqual({
						node: node.name,
						// Examples use the newest version of our nodes.
						typeVersion: ours.description.defaultVersion ?? Math.max(...[ours.description.version].flat()),
						problems: [],
					});
					const allowed = (ours.description.credentials ?? []).map((credential) => credential.name);
					for (const type of Object.keys(node.credentials ?? {})) expect(allowed).toContain(type);
				} else if (node.parameters.authentication === 'predefinedCredentialType') {
					expect(node.parameters.nodeCredentialType).toBe(credentialName);
				}
				// No credential stub: one without an id makes n8n say "Found credential with no ID" on open.
				expect({ node: node.name, credentials: node.credentials }).toEqual({ node: node.name, credentials: undefined });
			}
		});

		it('opens with a sticky note saying, in English and Portuguese, what it does and what to set up', () => {
			const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(notes).toHaveLength(1);
			const content = String(notes[0].parameters.content);
			for (const words of ['**What it does:**', '**Set up:**', '**O que faz:**', '**Configuração:**']) expect(content).toContain(words);
		});
	});

	it('the parameter check itself catches an unknown parameter, a hidden one, a bad option and a bad event', () => {
		const trigger = new EvolutionApiTrigger();
		expect(parameterProblems(trigger, { mode: 'register', instanze: 'x' })).toEqual(['instanze: no such parameter']);
		expect(parameterProblems(trigger, { mode: 'register', instanceNames: 'a' })).toEqual(['instanceNames: hidden for these settings']);
		expect(parameterProblems(trigger, { output: 'pretty' })[0]).toMatch(/output: "pretty" is not one of/);
		expect(parameterProblems(trigger, { events: ['MESSAGE_UPSERT'] })).toEqual(['events: "MESSAGE_UPSERT" is not an option']);
		expect(parameterProblems(trigger, { options: { ignoreOwnMessage: true } })).toEqual(['options.ignoreOwnMessage: no such option']);
	});
});

// ---- codex files -----------------------------------------------------------------------------------

describe('codex files', () => {
	const readmeSlugs = english.headings.map((heading) => heading.slug);
	const codexFiles = readdirSync(join(ROOT, 'nodes'))
		.map((folder) => `nodes/${folder}/${folder}.node.json`)
		.filter((file) => existsSync(join(ROOT, file)));

	it('there is one codex file per node, naming it', () => {
		const named = codexFiles.map((file) => (JSON.parse(read(file)) as { node: string }).node).sort();
		expect(named).toEqual([...OUR_NODE_TYPES.keys()].sort());
	});

	it.each(codexFiles)('%s: categories, aliases, and links to an existing README section', (file) => {
		const codex = JSON.parse(read(file)) as { categories: string[]; alias: string[]; resources: { primaryDocumentation: Array<{ url: string }> } };
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.alias).toContain('WhatsApp');
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
		for (const { url } of codex.resources.primaryDocumentation) {
			const anchor = /^https:\/\/github\.com\/n8n-nodes-whatsapp-webhooks\/n8n-nodes-whatsapp-webhooks#(.+)$/.exec(url)?.[1];
			expect(readmeSlugs).toContain(anchor);
		}
	});

	it('the credential documentation link lands on an existing README section', () => {
		const anchor = new EvolutionApi().documentationUrl.split('#')[1];
		expect(readmeSlugs).toContain(anchor);
	});
});
