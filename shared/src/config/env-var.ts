import type { z } from 'zod';

/** One environment variable: how it is parsed and the one line that documents it. */
export interface EnvVar<T> {
  readonly description: string;
  readonly schema: z.ZodType<T>;
  /** Never echo the value in an error message. */
  readonly secret: boolean;
  /** What a number counts (`seconds`, `ms`); error messages say it. */
  readonly unit: string | undefined;
}

/** The variables a service reads, by name. */
export type EnvSpec = Record<string, EnvVar<unknown>>;

/** The parsed values of an EnvSpec, typed per variable. */
export type EnvValues<S extends EnvSpec> = {
  -readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never;
};

/**
 * Declares a variable. Give the schema a `.default()` where a safe default exists.
 *
 * @example
 * const spec = { PORT: envVar('listen port', port().default(4001)) };
 */
export function envVar<T>(
  description: string,
  schema: z.ZodType<T>,
  options: { secret?: boolean; unit?: string } = {},
): EnvVar<T> {
  return { description, schema, secret: options.secret ?? false, unit: options.unit };
}
