// Lint with the rules n8n applies to community nodes (the `recommended` set of
// @n8n/eslint-plugin-community-nodes), on the shipped sources and on package.json.
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const recommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.e2e/**', '.bench/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: false } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: recommended.plugins,
		rules: recommended.rules,
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: recommended.plugins,
		rules: recommended.rules,
	},
];
