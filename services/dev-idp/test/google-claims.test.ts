import { describe, expect, it } from '@jest/globals';
import { googleClaims, subjectForEmail } from '../src/accounts/google-claims.js';

const profile = (email: string, name = 'Dev Eloper', emailVerified = true) => ({
  email,
  name,
  emailVerified,
});

describe('Google-shaped claims', () => {
  it('when the subject is derived, then it is a fixed function of the email (stable across restarts)', () => {
    // A pinned value: changing the derivation would re-key every developer's account.
    expect(subjectForEmail('developer@example.com')).toBe('141321947606894475061');
    expect(subjectForEmail('Developer@Example.COM')).toBe('141321947606894475061');
    expect(subjectForEmail('other@example.com')).not.toBe('141321947606894475061');
  });

  it('when the domain is a Workspace-like one, then hd is that domain', () => {
    expect(googleClaims(profile('a@corp.example.co.uk')).hd).toBe('corp.example.co.uk');
  });

  it.each(['gmail.com', 'googlemail.com'])(
    'when the domain is %s, then there is no hd',
    (domain) => {
      expect(googleClaims(profile(`a@${domain}`))).not.toHaveProperty('hd');
    },
  );

  it('when the name has several words, then given_name is the first and family_name the rest', () => {
    expect(googleClaims(profile('a@b.example', 'Ada King Lovelace'))).toMatchObject({
      given_name: 'Ada',
      family_name: 'King Lovelace',
    });
    expect(googleClaims(profile('a@b.example', 'Cher'))).not.toHaveProperty('family_name');
  });

  it('when a picture is made, then it is an inline SVG that references no host and escapes the initial', () => {
    const { picture } = googleClaims(profile('a@b.example', '<b>'));
    expect(picture).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(picture.split(',')[1] ?? '', 'base64').toString();
    expect(svg).not.toContain('<b>');
    expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/);
  });

  it('when the email is unverified, then email_verified is false', () => {
    expect(googleClaims(profile('a@b.example', 'A', false)).email_verified).toBe(false);
  });
});
