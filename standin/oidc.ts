// A local stand-in for the Actions runner's OIDC token service and GitHub's issuer: it signs
// GitHub-shaped ID tokens with its own RS256 key and verifies them for AssumeRoleWithWebIdentity.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { GenerateKeyPairResult, JWTPayload } from 'jose';
import type { Clock } from './model.ts';

export type Claims = Record<string, unknown>;

/** The job a token is for: the facts GitHub derives its claims from. */
export interface GithubJob {
  owner: string;
  ownerId: string;
  repo: string;
  repoId: string;
  actor: string;
  actorId: string;
  /** The job's `environment:`; none: the sub names the ref instead. */
  environment?: string;
  /**
   * The workflow file the job is defined in, `OWNER/REPO/.github/workflows/FILE@REF`: a reusable
   * workflow's when the job runs in one. Default: the run's own workflow (workflow_ref), which is
   * what GitHub puts there for a job that does not run in a reusable workflow.
   */
  jobWorkflowRef?: string;
  ref: string;
  workflow: string;
  eventName: string;
  runId: string;
  runAttempt: string;
  /** The `repo:OWNER@OWNER_ID/REPO@REPO_ID:…` subject of repositories created or renamed since 2026-07-15. */
  immutableSubject: boolean;
}

/** The stand-in's default job: an existing repository (name-form sub), dispatched on main, no environment. */
export const DEFAULT_JOB: GithubJob = {
  owner: 'octo',
  ownerId: '1001',
  repo: 'app',
  repoId: '424242',
  actor: 'octocat',
  actorId: '583231',
  ref: 'refs/heads/main',
  workflow: 'deactivate-mfa',
  eventName: 'workflow_dispatch',
  runId: '4242',
  runAttempt: '1',
  immutableSubject: false,
};

/**
 * The claims GitHub's token service puts in a job's token (docs.github.com, "OpenID Connect
 * reference"). Every job's token names its workflow file in `job_workflow_ref`: the reusable
 * workflow's for a job in one, else the same value as `workflow_ref`. The default `sub` is
 * `repo:OWNER/REPO:environment:NAME` for a job with an environment, else
 * `repo:OWNER/REPO:ref:REF`; with immutable subjects OWNER and REPO become `OWNER@OWNER_ID` and
 * `REPO@REPO_ID`.
 */
export function githubClaims(job: GithubJob): Claims {
  const repository = job.immutableSubject ? `${job.owner}@${job.ownerId}/${job.repo}@${job.repoId}` : `${job.owner}/${job.repo}`;
  const context = job.environment === undefined ? `ref:${job.ref}` : `environment:${job.environment}`;
  const workflowRef = `${job.owner}/${job.repo}/.github/workflows/${job.workflow}.yml@${job.ref}`;
  return {
    sub: `repo:${repository}:${context}`,
    repository: `${job.owner}/${job.repo}`,
    repository_id: job.repoId,
    repository_owner: job.owner,
    repository_owner_id: job.ownerId,
    actor: job.actor,
    actor_id: job.actorId,
    ...(job.environment !== undefined && { environment: job.environment }),
    job_workflow_ref: job.jobWorkflowRef ?? workflowRef,
    workflow_ref: workflowRef,
    run_id: job.runId,
    run_attempt: job.runAttempt,
    ref: job.ref,
    ref_type: 'branch',
    event_name: job.eventName,
    workflow: job.workflow,
    runner_environment: 'github-hosted',
  };
}

/** Path of the token endpoint; the request URL carries a query string like the runner's. */
export const TOKEN_PATH = '/_oidc/token';

const TOKEN_LIFETIME_SECONDS = 5 * 60;

export class OidcIssuer {
  readonly issuer: string;
  readonly requestUrl: string;
  readonly requestToken = randomBytes(24).toString('base64url');
  /** Claims every token from the endpoint carries unless the request overrides them; tests may edit. */
  readonly claims: Claims = githubClaims(DEFAULT_JOB);
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

  /** Replace the claims with those GitHub would issue for `job` (DEFAULT_JOB's facts, overridden). */
  runJob(job: Partial<GithubJob>): void {
    for (const key of Object.keys(this.claims)) delete this.claims[key];
    Object.assign(this.claims, githubClaims({ ...DEFAULT_JOB, ...job }));
  }

  /** Verify signature, issuer, audience (any of `audiences`) and time with jose; throws jose's errors for the caller to map. */
  async verify(token: string, audiences: string[]): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.keys.publicKey, {
      algorithms: ['RS256'],
      issuer: this.issuer,
      audience: audiences,
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
