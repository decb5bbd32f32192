// IAM (query API, XML, SigV4 for service "iam" in us-east-1, as IAM is
// global): the two calls that tell an access key's owner how old the key is
// and when it was last used, ListAccessKeys and GetAccessKeyLastUsed, for
// the IAM users the tests create. Users may be denied reading their own
// keys, as many labs' users are.
import { listen, readBody, uuid, xmlEscape, isoNoMillis } from './util.mjs';
import { QueryApiError, parseQuery, queryApiParams, splitTarget, verifyQueryApiRequest } from './sigv4.mjs';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export class IamService {
  constructor ({ creds, accountId, latency = null, clock = null }) {
    this.creds = creds;
    this.latency = latency;
    this.clock = clock;
    this.accountId = accountId;
    this.users = new Map(); // name → { name, arn, canReadOwnKeys }
    this.log = [];
  }

  async start () {
    const { server, url } = await listen((req, res) => this.handle(req, res), { latency: this.latency, clock: this.clock });
    this.server = server;
    this.endpoint = url + '/';
    return this;
  }

  /** An IAM user with one access key; returns { user, accessKeyId, secretAccessKey }. */
  createUser (name, { canReadOwnKeys = true, createdSecondsAgo = 0 } = {}) {
    const user = { name, arn: `arn:aws:iam::${this.accountId}:user/${name}`, canReadOwnKeys };
    this.users.set(name, user);
    return { user, ...this.createAccessKey(name, { createdSecondsAgo }) };
  }

  createAccessKey (userName, { createdSecondsAgo = 0 } = {}) {
    if (!this.users.has(userName)) throw new Error(`no such IAM user: ${userName}`);
    const c = this.creds.issueLongTerm({ userName, now: Date.now() - createdSecondsAgo * 1000 });
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  }

  keysOf (userName) {
    return [...this.creds.byKey.values()].filter((c) => c.userName === userName);
  }

  async handle (req, res) {
    const rid = uuid();
    const send = (status, xml) => {
      res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': rid });
      res.end(xml);
    };
    const { rawPath, rawQuery } = splitTarget(req.url);
    const body = await readBody(req, 1 << 20);
    try {
      const p = queryApiParams(req, rawQuery, body);
      const action = p.get('Action');
      if (p.get('Version') !== '2010-05-08' || !['ListAccessKeys', 'GetAccessKeyLastUsed'].includes(action)) {
        throw new QueryApiError(400, 'InvalidAction', `Could not find operation ${action} for version ${p.get('Version')}`);
      }
      const caller = verifyQueryApiRequest(req, rawPath, parseQuery(rawQuery), body, {
        creds: this.creds, now: Date.now(), service: 'iam', region: 'us-east-1',
      });
      this.log.push({ service: 'iam', action, accessKeyId: caller.accessKeyId });
      const callerUser = caller.userName ? this.users.get(caller.userName) : null;
      const denied = (resource) => new QueryApiError(403, 'AccessDenied',
        `User: ${callerUser ? callerUser.arn : `arn:aws:sts::${this.accountId}:assumed-role/${(caller.role || 'unknown').split('/').pop()}/${caller.sessionName}`} is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`);
      if (action === 'ListAccessKeys') {
        // Without UserName IAM lists the signing user's own keys.
        const name = p.get('UserName') ?? callerUser?.name;
        if (!name) throw new QueryApiError(400, 'ValidationError', 'Must specify userName when calling with non-User credentials');
        const user = this.users.get(name);
        if (!callerUser || !callerUser.canReadOwnKeys || callerUser.name !== name) throw denied(`user ${name}`);
        if (!user) throw new QueryApiError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
        this.creds.markUsed(caller, 'iam', 'us-east-1');
        const members = this.keysOf(name).map((k) => `
        <member>
          <UserName>${xmlEscape(name)}</UserName>
          <AccessKeyId>${k.accessKeyId}</AccessKeyId>
          <Status>${k.status}</Status>
          <CreateDate>${isoNoMillis(k.createDate.getTime())}</CreateDate>
        </member>`).join('');
        return send(200, `<ListAccessKeysResponse xmlns="${IAM_NS}">
  <ListAccessKeysResult>
    <AccessKeyMetadata>${members}
    </AccessKeyMetadata>
    <IsTruncated>false</IsTruncated>
  </ListAccessKeysResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</ListAccessKeysResponse>
`);
      }
      const id = p.get('AccessKeyId');
      if (!id || !/^[\w]{16,128}$/.test(id)) throw new QueryApiError(400, 'ValidationError', `1 validation error detected: Value '${id}' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+`);
      const key = this.creds.byKey.get(id);
      if (!callerUser || !callerUser.canReadOwnKeys || (key && key.userName !== callerUser.name)) throw denied(`access key ${id}`);
      if (!key || !key.userName) throw new QueryApiError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
      // Read before this call counts as a use, as on AWS (which updates it
      // within hours, not at once).
      const used = key.lastUsed;
      const last = used
        ? `
      <LastUsedDate>${isoNoMillis(used.date.getTime())}</LastUsedDate>
      <ServiceName>${used.service}</ServiceName>
      <Region>${used.region}</Region>`
        : `
      <ServiceName>N/A</ServiceName>
      <Region>N/A</Region>`;
      this.creds.markUsed(caller, 'iam', 'us-east-1');
      return send(200, `<GetAccessKeyLastUsedResponse xmlns="${IAM_NS}">
  <GetAccessKeyLastUsedResult>
    <AccessKeyLastUsed>${last}
    </AccessKeyLastUsed>
    <UserName>${xmlEscape(key.userName)}</UserName>
  </GetAccessKeyLastUsedResult>
  <ResponseMetadata>
    <RequestId>${rid}</RequestId>
  </ResponseMetadata>
</GetAccessKeyLastUsedResponse>
`);
    } catch (e) {
      if (!(e instanceof QueryApiError)) throw e;
      this.log.push({ service: 'iam', error: e.code });
      send(e.status, `<ErrorResponse xmlns="${IAM_NS}">
  <Error>
    <Type>Sender</Type>
    <Code>${xmlEscape(e.code)}</Code>
    <Message>${xmlEscape(e.message)}</Message>
  </Error>
  <RequestId>${rid}</RequestId>
</ErrorResponse>
`);
    }
  }
}
