// GitHub's REST API, the endpoints the action calls, served under /github so GITHUB_API_URL can
// point at the stand-in, with GitHub's JSON shapes (checked against GitHub's OpenAPI description
// in test/standin/github-contract.test.ts), headers, paging and refusals. The parts live in
// standin/github/: model (the world), shapes (JSON), endpoints (routes and permissions), service
// (HTTP), runs and pulls (scenario handles), scenario (the API tests use), faults.
export { GITHUB_PATH, GitHubStandin } from './github/service.ts';
export type { Permission, Permissions } from './github/service.ts';
export { ENDPOINTS } from './github/endpoints.ts';
export type { Endpoint, Scope } from './github/endpoints.ts';
export { gitHubApi } from './github/scenario.ts';
export type { AccountRef, AccountSpec, GitHubApi, PullRequestSpec, ReviewSpec, RunApprovalSpec } from './github/scenario.ts';
export type { ReviewOptions, RunHandle, RunnerView, RunSpec } from './github/runs.ts';
export type { FileSpec, MergeOptions, PullHandle, PullReviewOptions, PullSpec } from './github/pulls.ts';
export type { GitHubFaultKind, GitHubFaultSpec } from './github/faults.ts';
export type { AccountType, AuthorAssociation, FileStatus, MergeKind, ReviewState, Role } from './github/model.ts';
