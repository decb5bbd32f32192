#!/usr/bin/python3
# Presigning throughput of Genokey's peers, for presign-bench.sh.
#
#   presign-peers.py botocore|awscrt N        N links in a loop, prints links/s
#   presign-peers.py botocore|awscrt -        s3:// lines on stdin, URLs on stdout
#
# Made-up credentials with an ~800-character session token, like Genokey's
# own benchmark. Uses Debian's python3-botocore and python3-awscrt.
# SPDX-License-Identifier: GPL-3.0-or-later
import datetime
import sys
import time

AKID = 'ASIAEXAMPLEEXAMPLE12'
SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
TOKEN = ''.join(ALPHABET[(i * 7 + 3) % 64] for i in range(799)) + '='
REGION = 'eu-west-2'
BUCKET = 'demo-lab'


def botocore_signer():
    import botocore.session
    from botocore.config import Config
    session = botocore.session.get_session()
    client = session.create_client(
        's3', region_name=REGION, aws_access_key_id=AKID, aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
        config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))

    def sign(bucket, key):
        return client.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': key},
                                             ExpiresIn=3600)
    return sign


def awscrt_signer():
    from awscrt import auth, http
    from urllib.parse import quote
    provider = auth.AwsCredentialsProvider.new_static(AKID, SECRET, TOKEN)
    now = datetime.datetime.now(datetime.timezone.utc)

    def sign(bucket, key):
        host = f'{bucket}.s3.{REGION}.amazonaws.com'
        config = auth.AwsSigningConfig(
            algorithm=auth.AwsSigningAlgorithm.V4,
            signature_type=auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS,
            credentials_provider=provider, region=REGION, service='s3', date=now,
            use_double_uri_encode=False, should_normalize_uri_path=False,
            signed_body_value=auth.AwsSignedBodyValue.UNSIGNED_PAYLOAD,
            expiration_in_seconds=3600)
        request = http.HttpRequest('GET', '/' + quote(key, safe='/~'),
                                   http.HttpHeaders([('host', host)]))
        auth.aws_sign_request(request, config).result()
        return f'https://{host}{request.path}'
    return sign


def main():
    which, what = sys.argv[1], sys.argv[2]
    sign = botocore_signer() if which == 'botocore' else awscrt_signer()
    if what == '-':
        out = sys.stdout
        for line in sys.stdin:
            rest = line.strip()[len('s3://'):]
            bucket, _, key = rest.partition('/')
            out.write(sign(bucket, key) + '\n')
        return
    n = int(what)
    start = time.process_time()  # CPU time: a busy machine does not skew it
    total = 0
    for i in range(n):
        total += len(sign(BUCKET, f'cohort-7/sample-{i % 1000000:06d}/reads.bam'))
    secs = time.process_time() - start
    print(f'links_per_second {n / secs:.0f}')


main()
