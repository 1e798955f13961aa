/**
 * An Evolution API Trigger (node version 2, register mode, instance inst1, header secret) as plain data, for
 * the pipeline's unit tests: its parameters, the registration its create stored, the settings of both.
 */
import { evolutionSettingsOf, type EvolutionParameters, type TriggerOptions } from '../../../nodes/lib/delivery/settings-of';
import type { DeliveryRequest } from '../../../nodes/lib/delivery/settings';
import type { Registration } from '../../../nodes/lib/evolution/registration';

export const TEST_SECRET = 'c'.repeat(64);

export function registrationFor(events: string[]): Registration {
	return {
		instance: 'inst1',
		nodeUrl: 'https://n8n.example.com/webhook/id/webhook',
		registeredUrl: 'https://n8n.example.com/webhook/id/webhook',
		secret: TEST_SECRET,
		secretIn: 'header',
		events,
		previous: null,
		registeredAt: '2026-12-01T00:00:00.000Z',
	};
}

export function evolutionParameters(events: string[], overrides: Partial<EvolutionParameters> = {}): EvolutionParameters {
	return {
		nodeVersion: 2,
		mode: 'register',
		instance: 'inst1',
		instanceNames: '',
		globalSecret: '',
		acceptUnverified: false,
		events,
		output: 'normalized',
		outputPerEvent: false,
		options: {},
		dedupeScope: 'node|webhook',
		...overrides,
	};
}

/** The settings of a trigger selecting `events`, registered for exactly those. */
export function evolutionSettings(events: string[], options: TriggerOptions = {}, overrides: Partial<EvolutionParameters> = {}) {
	return evolutionSettingsOf(evolutionParameters(events, { options, ...overrides }), registrationFor(events));
}

/** A delivery carrying the registration's secret header. */
export const signed = (body: unknown): DeliveryRequest => ({ headers: { 'x-n8n-evolution-secret': TEST_SECRET }, query: {}, params: {}, body });
