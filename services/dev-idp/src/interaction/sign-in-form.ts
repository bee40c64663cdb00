import type { DevProfile } from '../accounts/google-claims.js';

/** What the sign-in page shows before anything is typed. */
export const DEFAULT_PROFILE: Readonly<DevProfile> = Object.freeze({
  email: 'developer@example.com',
  name: 'Dev Eloper',
  emailVerified: true,
});

/** The submitted fields as typed, plus the problems that stop them being used. */
export interface SignInSubmission {
  values: { email: string; name: string; unverified: boolean };
  problems: string[];
  profile: DevProfile | undefined;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * Validates the sign-in form. The email is lower-cased, as Google reports it; the
 * "email is NOT verified" box yields `email_verified: false`.
 */
export function parseSignInForm(form: URLSearchParams): SignInSubmission {
  const values = {
    email: (form.get('email') ?? '').trim(),
    name: (form.get('name') ?? '').trim().replace(/\s+/g, ' '),
    unverified: form.has('unverified'),
  };
  const problems: string[] = [];
  if (values.email.length > 254 || !EMAIL.test(values.email)) {
    problems.push('Enter an email address such as developer@example.com.');
  }
  if (values.name.length === 0 || values.name.length > 100) {
    problems.push('Enter a name of 1 to 100 characters.');
  }
  const profile =
    problems.length === 0
      ? { email: values.email.toLowerCase(), name: values.name, emailVerified: !values.unverified }
      : undefined;
  return { values, problems, profile };
}
