// What a run found and did, as the steps of run() return it and src/report/ reports it. A module of
// types (and the empty record a run starts from) that imports nothing: steps produce these parts, the
// report reads them, neither imports the other.

export type DeviceKind = 'virtual' | 'hardware' | 'fido';

export interface MfaDevice {
  serial: string;
  kind: DeviceKind;
  enabledAt: Date | undefined;
}

export type CredentialSource = 'oidc-role' | 'user-keys' | 'default-chain';

/** Who the action acted as: the caller's ARN, as CloudTrail records it. */
export interface Acting {
  source: CredentialSource;
  arn: string;
}

/** Who stepped up to an MFA session, and with which of their devices. */
export interface StepUp {
  arn: string;
  device: MfaDevice;
}

/** The target user as IAM knows it (GetUser): its unique id identifies it even while its name is masked. */
export interface TargetUser {
  userName: string;
  userId: string;
  path: string;
}

export type Deactivation = 'deactivated' | 'already-removed';
export type Deletion = 'deleted' | 'already-deleted';
/**
 * 'unknown': the call got no answer (timeout, lost connection), so AWS may or may not have acted.
 * 'not-approved': the device was enabled after the approval, which therefore did not cover it.
 */
export type StepOutcome<Done> = Done | 'failed' | 'unknown' | 'not-approved' | undefined;

export interface DeviceResult {
  device: MfaDevice;
  deactivation: StepOutcome<Deactivation>;
  deletion: StepOutcome<Deletion>;
  problem: string | undefined;
}

/** A GitHub account. Logins can be renamed and reclaimed: people are compared by `id`. */
export interface Person {
  login: string;
  id: number;
  /** `User` for a person; `Bot`, `Organization`, … never count as approvers. */
  type: string;
}

/** One entry of a run's environment review log (GET /repos/{o}/{r}/actions/runs/{id}/approvals). */
export interface RunApproval {
  reviewer: Person | undefined;
  state: 'approved' | 'rejected' | 'pending';
  environments: string[];
  comment: string;
}

/** A pull request a commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls). */
export interface PullRequest {
  number: number;
  author: Person | undefined;
  url: string;
  /** The branch it was merged into. */
  baseRef: string;
  mergedAt: string | undefined;
  mergeCommitSha: string | undefined;
  /** The last commit of the pull request's branch: what was merged. */
  headSha: string;
}

/** One review of a pull request (GET /repos/{o}/{r}/pulls/{n}/reviews), in GitHub's chronological order. */
export interface PullRequestReview {
  reviewer: Person | undefined;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string;
  /** The head commit the reviewer saw. */
  commitId: string | undefined;
  submittedAt: string | undefined;
}

/** A repository permission as GitHub reports it (`maintain` reads as write, `triage` as read). */
export type Permission = 'admin' | 'write' | 'read' | 'none';

/** An approval that counted: a person with write or admin permission, neither the requester nor the author. */
export interface Approver {
  login: string;
  id: number;
  permission: Permission;
  /** The role GitHub names (admin, maintain, write, …). */
  role: string;
  /** When the approving review was submitted (pull-request mode). */
  at: string | undefined;
}

export interface ApprovalRecord {
  mode: 'none' | 'environment' | 'pull-request';
  /** The run's attempt: a re-run is attempt 2 or later. */
  attempt: number;
  /** The run's environment review log (environment mode). */
  runApprovals: RunApproval[];
  /** The pull request the commit came from (pull-request mode). */
  pullRequest: PullRequest | undefined;
  /** Who approved, as counted. */
  approvers: Approver[];
  /** Every reviewer whose permission was checked, with it: the summary shows them. */
  permissions: { login: string; id: number; permission: Permission; role: string }[];
  /** Who asked for the reset: the pull request's author on the request flow, otherwise the actor. */
  requester: Requester;
  /** Devices enabled after this time were not seen by the approval and are never touched. */
  approvedAt: string | undefined;
}

/** Who asked for a reset: a login, and the account id when GitHub gave one. */
export interface Requester {
  login: string;
  id: number | undefined;
}

/** require-user-tag: the user's tag of that key, and whether it names the requester. */
export interface UserTagCheck {
  key: string;
  /** The tag's value on the user; undefined when the user has no such tag. */
  value: string | undefined;
  requester: Requester;
  /** The tag names the requester: their numeric account id, or (less safely) their login. */
  matches: boolean;
}

/** One call that changed (or tried to change) the account; CloudTrail records its request id. */
export interface AwsChange {
  operation: string;
  serial: string;
  requestId: string | undefined;
  /** 'ok', or the error AWS answered with. */
  outcome: string;
  /** How many times the SDK sent it (its retries included); 0 when unknown (the run's deadline cut it off). */
  attempts: number;
}

/** A call the SDK sent more than once: what each attempt met, and how long it waited between them. */
export interface RetriedCall {
  /** As IAM policies name it: `iam:DeactivateMFADevice`. */
  call: string;
  /** The device it was about, for the changes; '' for other calls. */
  serial: string;
  /** Each attempt's outcome in order: 'ok', AWS's error code, or the network error (TimeoutError, ECONNRESET). */
  attempts: string[];
  /** The SDK's total backoff between the attempts. */
  waitedMs: number;
}

/** The run as the runner describes it, for the summary. */
export interface RunContext {
  actor: string;
  triggeringActor: string;
  runUrl: string | undefined;
  workflow: string;
  eventName: string;
}

/** The one record of a run: each step's part, present once that step has returned. */
export interface RunReport {
  /** Values the runner masks (user name, account id, keys): never written in clear. */
  masked: readonly string[];
  run: RunContext;
  version: string;
  /** The user name as given (or as IAM spells it, once known); '' until the inputs are read. */
  userName: string;
  dryRun: boolean;
  request: { file: string; reason: string; ticket: string | undefined } | undefined;
  sessionName: { name: string; from: 'default' | 'workflow' } | undefined;
  approval: ApprovalRecord | undefined;
  acting: Acting | undefined;
  user: TargetUser | undefined;
  userTag: UserTagCheck | undefined;
  devices: DeviceResult[];
  stepUp: StepUp | undefined;
  changes: readonly AwsChange[];
  /** Every AWS call that took more than one attempt, in the order they ended: transient faults absorbed, or not. */
  retried: readonly RetriedCall[];
  error: string | undefined;
}

/** The record a run starts from, before any step has returned. */
export function newReport(run: RunContext, version: string): RunReport {
  return {
    masked: [],
    run,
    version,
    userName: '',
    dryRun: false,
    request: undefined,
    sessionName: undefined,
    approval: undefined,
    acting: undefined,
    user: undefined,
    userTag: undefined,
    devices: [],
    stepUp: undefined,
    changes: [],
    retried: [],
    error: undefined,
  };
}
