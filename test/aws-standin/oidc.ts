// A local stand-in for the Actions runner's OIDC token service and GitHub's issuer: it signs
// GitHub-shaped ID tokens with its own RS256 key and verifies them for AssumeRoleWithWebIdentity.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { GenerateKeyPairResult, JWTPayload } from 'jose';
import type { Clock } from './model.ts';

export type Claims = Record<string, unknown>;

/** Path of the token endpoint; the request URL carries a query string like the runner's. */
export const TOKEN_PATH = '/_oidc/token';

const TOKEN_LIFETIME_SECONDS = 5 * 60;

export class OidcIssuer {
  readonly issuer: string;
  readonly requestUrl: string;
  readonly requestToken = randomBytes(24).toString('base64url');
  /** Claims every token from the endpoint carries unless the request overrides them; tests may edit. */
  readonly claims: Claims = {
    sub: 'repo:octo/app:ref:refs/heads/main',
    repository: 'octo/app',
    repository_owner: 'octo',
    actor: 'octocat',
    run_id: '4242',
    run_attempt: '1',
    ref: 'refs/heads/main',
    event_name: 'workflow_dispatch',
    workflow: 'deactivate-mfa',
  };
  /** Every token signed, for issuedSecrets(). */
  readonly issued: string[] = [];
  private readonly keys: GenerateKeyPairResult;
  private readonly kid = randomUUID();
  private readonly clock: Clock;

  private constructor(endpoint: string, keys: GenerateKeyPairResult, clock: Clock) {
    this.issuer = `${endpoint}/_oidc`;
    this.requestUrl = `${endpoint}${TOKEN_PATH}?api-version=2.0`;
    this.keys = keys;
    this.clock = clock;
  }

  static async create(endpoint: string, clock: Clock): Promise<OidcIssuer> {
    return new OidcIssuer(endpoint, await generateKeyPair('RS256'), clock);
  }

  /** The provider ARN AWS reports for this issuer (scheme dropped, as in IAM's OIDC provider ARNs). */
  providerArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:oidc-provider/${this.issuer.replace(/^https?:\/\//, '')}`;
  }

  /** Sign a token: GitHub-like defaults, then `claims` (which may override iss, aud, exp, …). */
  async issueToken(claims: Claims = {}): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const payload: JWTPayload = {
      jti: randomUUID(),
      ...this.claims,
      aud: 'sts.amazonaws.com',
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      ...claims,
    };
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid }).sign(this.keys.privateKey);
    this.issued.push(token);
    return token;
  }

  /** Verify signature, issuer, audience and time with jose; throws jose's errors for the caller to map. */
  async verify(token: string, audience: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.keys.publicKey, {
      algorithms: ['RS256'],
      issuer: this.issuer,
      audience,
      currentDate: this.clock.date(),
    });
    return payload;
  }

  /** The runner's contract: `Authorization: Bearer <requestToken>`; false for anything else. */
  authorized(authorization: string | undefined): boolean {
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${this.requestToken}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
