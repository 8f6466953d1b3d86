// Which kind of policy refused a call, from iam-simulate's analysis, as AWS's AccessDenied names it
// ("with an explicit deny in a service control policy", "because no permissions boundary allows
// the iam:X action", …). AWS names one kind when several refuse and does not document which; the
// stand-in takes an explicit deny before an implicit one, and within each the order of AWS's
// policy evaluation logic: SCPs, identity-based policies, permissions boundary, session policy.
import type { EvaluationResult, RequestAnalysis } from '@cloud-copilot/iam-simulate';
import type { Denial, PolicyKind } from './errors.ts';
import type { NamedPolicy } from './policy-documents.ts';

/** Attached to every account and OU of an organization until someone detaches it. */
export const FULL_AWS_ACCESS: NamedPolicy = {
  name: 'FullAWSAccess',
  arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

interface Layer {
  kind: PolicyKind;
  result(analysis: RequestAnalysis): EvaluationResult | undefined;
  /** Names of the policies holding the deny statements that matched. */
  denying(analysis: RequestAnalysis): string[];
}

const LAYERS: Layer[] = [
  {
    kind: 'service control policy',
    result: (analysis) => analysis.scpAnalysis?.result,
    denying: (analysis) => analysis.scpAnalysis?.ouAnalysis.flatMap((level) => level.denyStatements.map((statement) => statement.policyId)) ?? [],
  },
  {
    kind: 'identity-based policy',
    result: (analysis) => analysis.identityAnalysis?.result,
    denying: (analysis) => analysis.identityAnalysis?.denyStatements.map((statement) => statement.policyId) ?? [],
  },
  {
    kind: 'permissions boundary',
    result: (analysis) => analysis.permissionBoundaryAnalysis?.result,
    denying: (analysis) => analysis.permissionBoundaryAnalysis?.denyStatements.map((statement) => statement.policyId) ?? [],
  },
  {
    kind: 'session policy',
    result: (analysis) => analysis.sessionAnalysis?.result,
    denying: (analysis) => analysis.sessionAnalysis?.denyStatements.map((statement) => statement.policyId) ?? [],
  },
];

/** The denial to report for a refused call; `policies`, by kind, give the denying policy's ARN. */
export function denialOf(analysis: RequestAnalysis | undefined, overall: EvaluationResult, policies: Partial<Record<PolicyKind, NamedPolicy[]>>): Denial {
  const explicit = overall === 'ExplicitlyDenied';
  const wanted: EvaluationResult = explicit ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
  const layer = (analysis && LAYERS.find((candidate) => candidate.result(analysis) === wanted)) ?? LAYERS[1]!;
  const policyName = explicit && analysis ? layer.denying(analysis)[0] : undefined;
  const policyArn = policyName === undefined ? undefined : policies[layer.kind]?.find((policy) => policy.name === policyName)?.arn;
  return { explicit, kind: layer.kind, policyArn };
}
