// ListUserTags as AWS answers it: sorted by key, paged, authorized, in the API reference's XML shape.
import { ListUserTagsCommand, paginateListUserTags } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../standin/index.ts';
import { failure, iamAs, type Keys, rawResponse } from '../../standin/sdk.ts';

let standin: Standin;
let admin: Keys;
beforeEach(async () => {
  standin = await startStandin();
  standin.createUser('root-admin', { admin: true, requireMfaForSelf: false });
  admin = standin.createAccessKey('root-admin');
});
afterEach(async () => {
  await standin.close();
});

describe('ListUserTags', () => {
  it("lists the tags set on createUser, sorted by key, in AWS's XML", async () => {
    standin.createUser('alice', { tags: { team: 'ops', 'github-login': 'alice-gh' } });

    const raw = await rawResponse(iamAs(standin, admin), new ListUserTagsCommand({ UserName: 'alice' }));

    expect(raw.status).toBe(200);
    expect(raw.body).toMatch(
      new RegExp(
        '^<ListUserTagsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <ListUserTagsResult>\n    <Tags>\n' +
          '      <member>\n        <Key>github-login</Key>\n        <Value>alice-gh</Value>\n      </member>\n' +
          '      <member>\n        <Key>team</Key>\n        <Value>ops</Value>\n      </member>\n    </Tags>\n' +
          '    <IsTruncated>false</IsTruncated>\n  </ListUserTagsResult>\n  <ResponseMetadata>\n    <RequestId>[0-9a-f-]{36}</RequestId>\n',
      ),
    );
    const { Tags } = await iamAs(standin, admin).send(new ListUserTagsCommand({ UserName: 'ALICE' }));
    expect(Tags).toEqual([
      { Key: 'github-login', Value: 'alice-gh' },
      { Key: 'team', Value: 'ops' },
    ]);
  });

  it('pages with MaxItems and Marker as the SDK paginator follows them; an untagged user has an empty list', async () => {
    standin.createUser('carol', { tags: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, `v${i}`])) });
    standin.createUser('dan');
    const pages: number[] = [];
    for await (const page of paginateListUserTags({ client: iamAs(standin, admin), pageSize: 2 }, { UserName: 'carol' })) pages.push(page.Tags?.length ?? 0);
    expect(pages).toEqual([2, 2, 1]);
    expect(await iamAs(standin, admin).send(new ListUserTagsCommand({ UserName: 'dan' }))).toMatchObject({ Tags: [], IsTruncated: false });
  });

  it('refuses an unknown user, a missing UserName, and a caller without the permission', async () => {
    standin.createUser('bob');
    const bob = standin.createAccessKey('bob');
    standin.createUser('alice');

    expect(await failure(iamAs(standin, admin).send(new ListUserTagsCommand({ UserName: 'nobody' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
      status: 404,
    });
    expect(await failure(iamAs(standin, admin).send(new ListUserTagsCommand({} as never)))).toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    });
    expect(await failure(iamAs(standin, bob).send(new ListUserTagsCommand({ UserName: 'alice' })))).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: iam:ListUserTags on resource: user alice'),
      status: 403,
    });
  });
});
