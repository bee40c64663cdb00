import { interactionPolicy } from 'oidc-provider';

/**
 * oidc-provider's default prompts, with the login prompt asked on every authorization
 * request: a developer switching between test accounts must see the sign-in page each time,
 * not be carried through silently by the previous sign-in's session cookie. The check is
 * satisfied once the interaction has produced a login result, so the resumed request
 * completes instead of looping.
 */
export function signInEveryTimePolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider base policy has no login prompt');
  login.checks.add(
    new interactionPolicy.Check(
      'dev_idp_sign_in_every_time',
      'the dev-idp asks who you are on every sign-in',
      'login_required',
      (ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}
