/**
 * Where auth profiles are declared (`auth.profiles` of a scenario, environment or project) and how a
 * scenario, group or request picks one: a profile name, an inline profile, or "none".
 */
import * as z from 'zod';
import { AuthProfileSchema } from './auth-schema.js';
import { SigningProfileSchema } from './auth-schemes-schema.js';
import { deferred } from './deferred-schema.js';
import { described } from './schema-helpers.js';

/** Every auth profile type: token-based ones (bearer, basic, apiKey, oauth2) and signing schemes. */
export const AnyAuthProfileSchema = deferred(() =>
  z.discriminatedUnion('type', [...AuthProfileSchema.unwrap().options, ...SigningProfileSchema.unwrap().options]),
);
export type AnyAuthProfile = z.infer<typeof AnyAuthProfileSchema>;

/** `"none"`, the name of a declared profile, or an inline profile. */
export const AuthChoiceSchema = z.union([z.literal('none'), z.string().min(1), AnyAuthProfileSchema]);
export type AuthChoice = z.infer<typeof AuthChoiceSchema>;

export const AuthProfilesSectionSchema = z.strictObject({
  profiles: described(z.record(z.string().min(1), AnyAuthProfileSchema).optional(), 'Auth profiles by name.'),
  use: described(AuthChoiceSchema.optional(), 'The default for every request of the scenario.'),
});
