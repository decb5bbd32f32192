// The S3 front's SigV4 verifier against the worked examples in AWS's S3
// documentation ("Signature Calculations for the Authorization Header" and
// "Authenticating Requests: Using Query Parameters"), independent of the SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyRequest, parseQuery, splitTarget, S3Error } from '../lib/sigv4.mjs';
import { CredentialStore } from '../lib/credstore.mjs';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2013, 4, 24, 0, 0, 30);

function store () {
  const s = new CredentialStore();
  s.byKey.set(AKID, { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: null, expiration: null });
  return s;
}

function verify ({ method, target, headers, body, now = NOW }) {
  const rawHeaders = headers.flat();
  const req = { method, rawHeaders, headers: Object.fromEntries(headers.map(([k, v]) => [k.toLowerCase(), v])) };
  const { rawPath, rawQuery } = splitTarget(target);
  const queryPairs = parseQuery(rawQuery);
  const kind = req.headers.authorization ? 'header' : 'query';
  return verifyRequest(req, { rawPath, queryPairs, kind, body: body ? Buffer.from(body) : Buffer.alloc(0), ctx: { creds: store(), now, checkRegion () {} } });
}

const auth = (signed, sig) => `AWS4-HMAC-SHA256 Credential=${AKID}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${sig}`;
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('GET object with a range (header form)', () => {
  const headers = [
    ['Host', 'examplebucket.s3.amazonaws.com'],
    ['Range', 'bytes=0-9'],
    ['x-amz-content-sha256', EMPTY],
    ['x-amz-date', '20130524T000000Z'],
  ];
  const sig = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
  const r = verify({ method: 'GET', target: '/test.txt', headers: [...headers, ['Authorization', auth('host;range;x-amz-content-sha256;x-amz-date', sig)]] });
  assert.equal(r.accessKeyId, AKID);
  assert.throws(() => verify({ method: 'GET', target: '/test.txt', headers: [...headers, ['Authorization', auth('host;range;x-amz-content-sha256;x-amz-date', sig.replace(/^f/, 'e'))]] }),
    (e) => e instanceof S3Error && e.code === 'SignatureDoesNotMatch' && e.fields.CanonicalRequest === [
      'GET', '/test.txt', '', 'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9', `x-amz-content-sha256:${EMPTY}`, 'x-amz-date:20130524T000000Z', '',
      'host;range;x-amz-content-sha256;x-amz-date', EMPTY,
    ].join('\n'));
});

test('PUT object with a $ in the key and a signed payload', () => {
  const sig = '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd';
  const r = verify({
    method: 'PUT',
    target: '/test%24file.text',
    body: 'Welcome to Amazon S3.',
    headers: [
      ['Host', 'examplebucket.s3.amazonaws.com'],
      ['Date', 'Fri, 24 May 2013 00:00:00 GMT'],
      ['x-amz-date', '20130524T000000Z'],
      ['x-amz-storage-class', 'REDUCED_REDUNDANCY'],
      ['x-amz-content-sha256', '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072'],
      ['Authorization', auth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', sig)],
    ],
  });
  assert.equal(r.payloadHash, '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
});

test('GET bucket lifecycle and a listing with a sorted query', () => {
  const base = [['Host', 'examplebucket.s3.amazonaws.com'], ['x-amz-date', '20130524T000000Z'], ['x-amz-content-sha256', EMPTY]];
  verify({ method: 'GET', target: '/?lifecycle', headers: [...base, ['Authorization', auth('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543')]] });
  verify({ method: 'GET', target: '/?max-keys=2&prefix=J', headers: [...base, ['Authorization', auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7')]] });
  verify({ method: 'GET', target: '/?prefix=J&max-keys=2', headers: [...base, ['Authorization', auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7')]] });
});

test('presigned GET (query form), valid for 24 hours', () => {
  const target = '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  const headers = [['Host', 'examplebucket.s3.amazonaws.com']];
  verify({ method: 'GET', target, headers });
  verify({ method: 'GET', target, headers, now: Date.UTC(2013, 4, 24, 23, 59, 59) });
  assert.throws(() => verify({ method: 'GET', target, headers, now: Date.UTC(2013, 4, 25, 0, 0, 1) }), (e) => e.code === 'AccessDenied' && e.message === 'Request has expired');
  assert.throws(() => verify({ method: 'HEAD', target, headers }), (e) => e.code === 'SignatureDoesNotMatch');
});
