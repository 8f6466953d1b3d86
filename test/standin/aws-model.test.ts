// The contract checker itself: it accepts AWS's own answers and names each way an answer departs
// from the model; and the table of errors per operation the action's tests will hold it to.
import { describe, expect, it } from 'vitest';
import { botocoreVersion, COMMON_ERRORS, loadModel } from '../../standin/contract/aws-model.ts';
import { checkAnswer } from '../../standin/contract/check-answer.ts';
import { ACTION_OPERATIONS, errorCodesByOperation, errorsOf } from '../../standin/contract/errors-by-operation.ts';
import { parseXml } from '../../standin/contract/xml-tree.ts';

const iam = loadModel('iam');
const sts = loadModel('sts');
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

// The IAM API reference's GetUser example, and an error answer in IAM's shape.
const USER = `<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Path>/division_abc/subdivision_xyz/</Path><UserName>Bob</UserName>
  <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn><CreateDate>2013-10-02T17:01:44Z</CreateDate>`;
const getUser = (user = USER, extra = '') =>
  `<GetUserResponse xmlns="${IAM_NS}"><GetUserResult><User>${user}</User>${extra}</GetUserResult>` +
  '<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></GetUserResponse>';
const error = (code: string, type = 'Sender', ns = IAM_NS, requestId = '<RequestId>r-1</RequestId>') =>
  `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>m</Message></Error>${requestId}</ErrorResponse>`;

describe('checkAnswer', () => {
  it("accepts AWS's own answers", () => {
    expect(checkAnswer(iam, 'GetUser', 200, getUser())).toEqual([]);
    expect(checkAnswer(iam, 'GetUser', 404, error('NoSuchEntity'))).toEqual([]);
    expect(checkAnswer(iam, 'GetUser', 403, error('AccessDenied'))).toEqual([]);
    expect(checkAnswer(iam, 'DeactivateMFADevice', 409, error('ConcurrentModification'))).toEqual([]);
    expect(
      checkAnswer(
        iam,
        'DeactivateMFADevice',
        200,
        `<DeactivateMFADeviceResponse xmlns="${IAM_NS}"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeactivateMFADeviceResponse>`,
      ),
    ).toEqual([]);
    expect(checkAnswer(sts, 'AssumeRoleWithWebIdentity', 400, error('IDPCommunicationError', 'Sender', sts.metadata.xmlNamespace))).toEqual([]);
  });

  const departures: { name: string; op?: string; status?: number; body: string; problem: RegExp }[] = [
    { name: 'not XML', body: '<GetUserResponse><User></GetUserResponse>', problem: /not well-formed/ },
    { name: 'wrong namespace', body: getUser().replace(IAM_NS, 'https://sts.amazonaws.com/doc/2011-06-15/'), problem: /xmlns=.*expected "https:\/\/iam/ },
    { name: 'wrong root', body: getUser().replace(/GetUserResponse/g, 'GetUserAnswer'), problem: /root: <GetUserAnswer>/ },
    {
      name: 'no ResponseMetadata',
      body: getUser().replace(/<ResponseMetadata>.*<\/ResponseMetadata>/, ''),
      problem: /expected children \[GetUserResult, ResponseMetadata\]/,
    },
    { name: 'an unknown member', body: getUser(USER + '<Tags2/>'), problem: /User\/Tags2: not a member of User/ },
    { name: 'a required member missing', body: getUser(USER.replace(/<UserName>Bob<\/UserName>/, '')), problem: /required member UserName of User is missing/ },
    { name: 'a member repeated', body: getUser(USER + '<Path>/</Path>'), problem: /User\/Path: repeated/ },
    { name: 'a value off its pattern', body: getUser(USER.replace('<UserName>Bob', '<UserName>Bob Smith')), problem: /does not match the model's pattern/ },
    { name: 'a bad timestamp', body: getUser(USER.replace('2013-10-02T17:01:44Z', 'Wed Oct 2 2013')), problem: /not an ISO 8601/ },
    { name: 'text in a structure', body: getUser('Bob'), problem: /User structure holds text/ },
    {
      name: 'a Result for a void operation',
      op: 'DeactivateMFADevice',
      body: `<DeactivateMFADeviceResponse xmlns="${IAM_NS}"><DeactivateMFADeviceResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeactivateMFADeviceResponse>`,
      problem: /expected children \[ResponseMetadata\]/,
    },
    {
      name: 'a list item not <member>',
      op: 'ListMFADevices',
      body: `<ListMFADevicesResponse xmlns="${IAM_NS}"><ListMFADevicesResult><MFADevices><item/></MFADevices><IsTruncated>false</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListMFADevicesResponse>`,
      problem: /a mfaDeviceListType item must be <member>/,
    },
    {
      name: 'a boolean that is not one',
      op: 'ListMFADevices',
      body: `<ListMFADevicesResponse xmlns="${IAM_NS}"><ListMFADevicesResult><MFADevices/><IsTruncated>no</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListMFADevicesResponse>`,
      problem: /'no' is not a boolean/,
    },
    { name: 'an undeclared code', status: 409, body: error('DeleteConflict'), problem: /Code DeleteConflict: not declared for GetUser/ },
    { name: 'the wrong status', status: 400, body: error('NoSuchEntity'), problem: /HTTP 400, the model \(botocore [\d.]+\) says 404/ },
    { name: 'the wrong Type', status: 404, body: error('NoSuchEntity', 'Receiver'), problem: /Type Receiver, the model .* says Sender/ },
    { name: 'no RequestId', status: 404, body: error('NoSuchEntity', 'Sender', IAM_NS, ''), problem: /expected children \[Error, RequestId\]/ },
    { name: 'InvalidAction outside AWSFault', status: 400, body: error('InvalidAction'), problem: /InvalidAction is answered in http:\/\/webservices/ },
    {
      name: 'Error fields out of order',
      status: 404,
      body: `<ErrorResponse xmlns="${IAM_NS}"><Error><Code>NoSuchEntity</Code><Type>Sender</Type></Error><RequestId>r</RequestId></ErrorResponse>`,
      problem: /expected children \[Type, Code, Message\]/,
    },
  ];

  it.each(departures)('names $name', ({ op = 'GetUser', status = 200, body, problem }) => {
    const problems = checkAnswer(op === 'AssumeRoleWithWebIdentity' ? sts : iam, op, status, body);
    expect(problems.join('\n')).toMatch(problem);
  });
});

describe('parseXml', () => {
  it('decodes entities and character references, and refuses what is not well-formed', () => {
    expect(parseXml('<?xml version="1.0"?><a x="1 &amp; 2"><b>&lt;&#65;&#x42;&apos;</b><c/></a>')).toEqual({
      name: 'a',
      attributes: { x: '1 & 2' },
      children: [
        { name: 'b', attributes: {}, children: [], text: "<AB'" },
        { name: 'c', attributes: {}, children: [], text: '' },
      ],
      text: '',
    });
    for (const bad of ['<a><b></a></b>', '<a>', '<a/><b/>', '<a>&nbsp;</a>', '<a>x<b/></a>', '<a><![CDATA[x]]></a>']) expect(() => parseXml(bad)).toThrow();
  });
});

describe('errors by operation, from the model', () => {
  it(`lists, for each call the action makes, the codes botocore ${botocoreVersion()} and the SDK's model declare`, () => {
    expect(errorCodesByOperation()).toMatchObject({
      'sts:AssumeRoleWithWebIdentity': expect.arrayContaining([
        'IDPCommunicationError',
        'InvalidIdentityToken',
        'ExpiredTokenException',
        'RegionDisabledException',
      ]),
      'sts:GetSessionToken': expect.arrayContaining(['RegionDisabledException', 'AccessDenied']),
      'iam:DeactivateMFADevice': expect.arrayContaining([
        'EntityTemporarilyUnmodifiable',
        'ConcurrentModification',
        'NoSuchEntity',
        'LimitExceeded',
        'ServiceFailure',
      ]),
      'iam:DeleteVirtualMFADevice': expect.arrayContaining(['DeleteConflict', 'ConcurrentModification']),
    });
    expect(Object.keys(errorCodesByOperation())).toEqual([...ACTION_OPERATIONS]);
  });

  it('says where each declared code comes from and what AWS answers it with', () => {
    const deactivate = errorsOf('iam:DeactivateMFADevice').declared;
    expect(deactivate.find((e) => e.code === 'EntityTemporarilyUnmodifiable')).toEqual({
      code: 'EntityTemporarilyUnmodifiable',
      status: 409,
      type: 'Sender',
      source: `botocore ${botocoreVersion()}`,
    });
    expect(deactivate.find((e) => e.code === 'ConcurrentModification')).toMatchObject({ status: 409, type: 'Sender' });
    expect(errorsOf('iam:GetUser').declared.find((e) => e.code === 'ServiceFailure')).toMatchObject({ status: 500, type: 'Receiver' });
    expect(errorsOf('sts:GetCallerIdentity').declared).toEqual([]);
  });

  it("counts the common errors every call can meet, with AWS's statuses", () => {
    expect(COMMON_ERRORS).toMatchObject({
      AccessDenied: 403,
      Throttling: 400,
      InvalidClientTokenId: 403,
      SignatureDoesNotMatch: 403,
      ExpiredToken: 403,
      IncompleteSignature: 400,
      MissingAuthenticationToken: 403,
      RequestExpired: 400,
      ServiceUnavailable: 503,
      InternalFailure: 500,
    });
  });
});
