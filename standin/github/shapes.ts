// GitHub's JSON shapes, built from the world, by concern: accounts and the repository, pull
// requests, Actions (runs, jobs, approvals, deployments). Every property the OpenAPI description of
// api.github.com marks required is there; test/standin/github-contract.test.ts checks it.
import type { GitHubWorld } from './model.ts';
import { ActionsShapes } from './shapes/actions.ts';
import { AccountShapes } from './shapes/common.ts';
import { PullShapes } from './shapes/pulls.ts';

export { permissionOf, WEB } from './shapes/common.ts';

export class Shapes {
  readonly accounts: AccountShapes;
  readonly pulls: PullShapes;
  readonly actions: ActionsShapes;

  constructor(world: GitHubWorld, api: string) {
    this.accounts = new AccountShapes(world, api);
    this.pulls = new PullShapes(this.accounts);
    this.actions = new ActionsShapes(this.accounts);
  }
}
