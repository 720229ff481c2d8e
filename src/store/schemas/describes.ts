/**
 * Ties a record's zod schema to its TypeScript type at compile time, so the two cannot drift apart: the schema's
 * output must be assignable to the type, and the type may have no field the schema does not know. The TypeScript
 * types (src/core/records.ts, src/store/manifest.ts) stay the documentation; the schemas check files against them.
 */
import type { z } from 'zod';

type MissingKeys<S, T> = Exclude<keyof T, keyof S>;
type Describes<S, T> = [S] extends [T] ? ([MissingKeys<S, T>] extends [never] ? true : false) : false;

/** `describes<ConversationRecord>()(schema)`: the schema unchanged, or a type error naming what differs. */
export function describes<T>() {
  return <S extends z.ZodType>(schema: S & (Describes<z.output<S>, T> extends true ? unknown : { readonly mismatch: [z.output<S>, T] })): S => schema;
}
