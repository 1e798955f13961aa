import { z } from 'zod';

import { isRecord } from './scalars';

/**
 * Loose zod schemas for webhook bodies: every field optional or null (sources send null for "none" all
 * the time), a value of the wrong type reads as absent instead of failing the whole object.
 */

/** Any JSON object, as the loose schemas accept nested records. */
export const jsonObject = z.record(z.unknown());
/** Helpdesk ids arrive as numbers or strings. */
export const scalarId = z.union([z.string(), z.number()]);
/** A boolean as sources send it: true/false, "true"/"false", 1/0 (read it with boolOf). */
export const looseBoolean = z.union([z.boolean(), z.string(), z.number()]);

export function tolerant<T extends z.ZodTypeAny>(schema: T) {
	return schema.nullish().catch(undefined);
}

type Check = (value: unknown) => boolean;

/**
 * A fast structural check equivalent to "zod would accept this value unchanged". Webhook bodies almost
 * always fit their loose schema, and then the value can be used as it is, without zod's copy (which
 * costs 3/4 of the time on the hot path). Unknown schema kinds answer false, so zod decides.
 */
function checkerOf(schema: z.ZodTypeAny): Check {
	const def = schema._def as { typeName?: string } & Record<string, unknown>;
	switch (def.typeName) {
		case z.ZodFirstPartyTypeKind.ZodCatch:
			return checkerOf(def.innerType as z.ZodTypeAny);
		case z.ZodFirstPartyTypeKind.ZodOptional: {
			const inner = checkerOf(def.innerType as z.ZodTypeAny);
			return (value) => value === undefined || inner(value);
		}
		case z.ZodFirstPartyTypeKind.ZodNullable: {
			const inner = checkerOf(def.innerType as z.ZodTypeAny);
			return (value) => value === null || inner(value);
		}
		case z.ZodFirstPartyTypeKind.ZodString:
			return (value) => typeof value === 'string';
		case z.ZodFirstPartyTypeKind.ZodNumber:
			return (value) => typeof value === 'number' && !Number.isNaN(value);
		case z.ZodFirstPartyTypeKind.ZodBoolean:
			return (value) => typeof value === 'boolean';
		case z.ZodFirstPartyTypeKind.ZodUnknown:
		case z.ZodFirstPartyTypeKind.ZodAny:
			return () => true;
		case z.ZodFirstPartyTypeKind.ZodUnion: {
			const options = (def.options as z.ZodTypeAny[]).map(checkerOf);
			return (value) => options.some((option) => option(value));
		}
		case z.ZodFirstPartyTypeKind.ZodRecord: {
			const values = checkerOf(def.valueType as z.ZodTypeAny);
			const any = (def.valueType as z.ZodTypeAny)._def.typeName === z.ZodFirstPartyTypeKind.ZodUnknown;
			return (value) => isRecord(value) && (any || Object.values(value).every(values));
		}
		case z.ZodFirstPartyTypeKind.ZodArray: {
			const elements = checkerOf(def.type as z.ZodTypeAny);
			const any = (def.type as z.ZodTypeAny)._def.typeName === z.ZodFirstPartyTypeKind.ZodUnknown;
			return (value) => Array.isArray(value) && (any || value.every(elements));
		}
		case z.ZodFirstPartyTypeKind.ZodObject: {
			if (def.unknownKeys !== 'passthrough') return () => false;
			const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
			const fields = Object.entries(shape).map(([key, field]) => [key, checkerOf(field)] as const);
			return (value) => {
				if (!isRecord(value)) return false;
				for (const [key, check] of fields) if (!check(value[key])) return false;
				return true;
			};
		}
		default:
			return () => false;
	}
}

/**
 * A reader for a loose (passthrough, all-tolerant) object schema: the value itself when it already fits,
 * else zod's tolerant parse (wrong-typed fields dropped), else undefined for a non-object.
 */
export function looseReader<T extends z.AnyZodObject>(schema: T): (value: unknown) => z.output<T> | undefined {
	const fits = checkerOf(schema);
	return (value) => {
		if (!isRecord(value)) return undefined;
		if (fits(value)) return value as z.output<T>;
		const parsed = schema.safeParse(value);
		return parsed.success ? parsed.data : undefined;
	};
}
