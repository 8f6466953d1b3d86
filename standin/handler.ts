// What every action handler receives and returns: the account, the authenticated caller and the
// request's parameters in; the Result element's content out (undefined: no Result element).
import type { Identity } from './identity.ts';
import type { Account } from './model.ts';
import type { OidcIssuer } from './oidc.ts';
import type { Params } from './params.ts';
import type { XmlValue } from './xml.ts';

export interface ActionContext {
  account: Account;
  oidc: OidcIssuer;
  identity: Identity;
  params: Params;
}

export type ActionHandler = (context: ActionContext) => XmlValue | Promise<XmlValue>;
