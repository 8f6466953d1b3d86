// The run's settings, as src/inputs/ reads them from the action's inputs. A module of types that
// imports nothing, so every step can depend on it and no import cycle can form through it.

/** An IAM user's long-term keys, from the workflow's secrets. */
export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RoleSettings {
  arn: string;
  audience: string;
  sessionName: string;
  /** Whether role-session-name came from the workflow or is the action's default: the audit record says which. */
  sessionNameFrom: 'default' | 'workflow';
  durationSeconds: number;
}

export type ApprovalMode = 'none' | 'environment' | 'pull-request';

/** A reset request as a file in the repository (mfa-resets/<date>-<user>.yml). */
export interface ResetRequest {
  /** The path as given (relative to the workspace), for messages and the summary. */
  file: string;
  userName: string;
  reason: string;
  ticket: string | undefined;
}

export interface ApprovalSettings {
  mode: ApprovalMode;
  /** Used only when mode is not 'none'. */
  githubToken: string;
  /** IAM user tag key whose value must name the requester. */
  userTag: string | undefined;
  request: ResetRequest | undefined;
  /** An approval older than this no longer authorises a reset (pull-request mode). */
  maxAgeHours: number;
}

export interface Settings {
  userName: string;
  mfaToken: string | undefined;
  role: RoleSettings | undefined;
  userKeys: AccessKeys | undefined;
  region: string;
  /** The region's partition (aws, aws-cn, aws-us-gov, …), from the SDK's partitions data. */
  partition: string;
  serialNumber: string | undefined;
  stepUpSerialNumber: string | undefined;
  deleteVirtualDevices: boolean;
  dryRun: boolean;
  /** protected-users patterns; `*` matches any run of characters. */
  protectedUsers: string[];
  maskUserName: boolean;
  maskAwsAccountId: boolean;
  approval: ApprovalSettings;
  /** The whole run's time limit. */
  timeoutSeconds: number;
}
