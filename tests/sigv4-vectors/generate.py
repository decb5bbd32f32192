#!/usr/bin/python3
"""Writes the SigV4 vector folders: one folder per case, as in aws-c-auth's
test suite (tests/aws-signing-test-suite/v4/<case>/).

Every expected value is computed here by two independent signers, botocore
(python3-botocore: canonical request, string to sign, signature) and awscrt
(python3-awscrt, the Python face of aws-c-auth itself: signature), and the
script stops unless both agree on every signature. Genokey's code is not
involved; tests/test-sigv4-vectors.c then checks Genokey's stages against
these files, case by case.

Each folder holds:
  request.txt                  the request as sent, before signing (path and
                               query percent-encoded, one header per line)
  context.json                 credentials, region, service, time, payload
                               hash, and for query signing the expiry
  header-canonical-request.txt header-signed form (Authorization header)
  header-string-to-sign.txt
  header-signature.txt
  header-authorization.txt     the whole Authorization header value
  query-canonical-request.txt  query-signed form (presigned URL), only for
  query-string-to-sign.txt     the requests Genokey presigns: GET of an
  query-signature.txt          object, no query of its own, no header but Host
  query-signed-url.txt

The credentials are AWS's published example keys, not secrets.

Run with Debian's Python (/usr/bin/python3), where the two packages live:
  /usr/bin/python3 tests/sigv4-vectors/generate.py
"""
import datetime
import json
import os
import shutil
import sys
from unittest import mock
from urllib.parse import quote

import awscrt.auth
import awscrt.http
import botocore.auth
import botocore.awsrequest
import botocore.credentials

HERE = os.path.dirname(os.path.abspath(__file__))

ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# A session token with the characters that need encoding in a query (+ / =).
SESSION_TOKEN = ("IQoJb3JpZ2luX2VjEEsaCXVzLWVhc3QtMSJHMEUCIQDN+a/b=c+d"
                 "//////////wEaDExhYiBzZXNzaW9uIHRva2Vu==")
TIME = datetime.datetime(2015, 8, 30, 12, 36, 0, tzinfo=datetime.timezone.utc)
REGION = "us-east-1"
SERVICE = "s3"
HOST = "examplebucket.s3.amazonaws.com"
EXPIRES = 86400
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED = "UNSIGNED-PAYLOAD"

# name: the request (raw key, query pairs with None for "name only",
# headers in order), the payload hash, and whether a session token signs.
CASES = [
    dict(name="get-object", key="test.txt"),
    dict(name="get-bucket-root", key=""),
    dict(name="get-unnormalized-double-slash", key="cohort//S1.bam"),
    dict(name="get-unnormalized-dot-segments", key="cohort/./S1/../S1.bam"),
    dict(name="get-unnormalized-leading-dot-dot", key="../../etc/S1.bam"),
    dict(name="get-unnormalized-trailing-slash-dot", key="cohort/S1/."),
    dict(name="get-utf8-key", key="Proben/Über-Größe/é ü ሴ 😀.bam"),
    dict(name="get-key-reserved-characters", key="a b+c=d&e%f?g#h$i@j:k,l;m'n(o)p*q!r~s.bam"),
    dict(name="get-query-empty-value", key="", query=[("acl", None)]),
    dict(name="get-query-empty-string-value", key="", query=[("list-type", "2"), ("prefix", "")]),
    dict(name="get-query-repeated-keys", key="",
         query=[("tag", "z"), ("tag", "a"), ("tag", "m"), ("list-type", "2")]),
    dict(name="get-query-sorted-by-encoded-name", key="",
         query=[("a-b", "1"), ("a", "2"), ("A", "3"), ("a_b", "4"), ("a.b", "5"), ("a~b", "6")]),
    dict(name="get-query-utf8-and-reserved", key="",
         query=[("list-type", "2"), ("prefix", "Proben/é ü+ሴ/"), ("delimiter", "/"),
                ("continuation-token", "1+2/3=")]),
    dict(name="get-header-value-whitespace", key="test.txt",
         headers=[("My-Header1", "  value1  with   inner   spaces  ")]),
    dict(name="get-header-value-leading-trailing-tabs-and-spaces", key="test.txt",
         headers=[("My-Header1", " \t value1 \t")]),
    dict(name="get-header-name-case", key="test.txt",
         headers=[("X-Custom-HEADER", "Mixed Case Value"), ("a-first", "1")]),
    dict(name="get-range", key="cohort/S1.bam", headers=[("Range", "bytes=0-65535")]),
    dict(name="get-session-token", key="cohort/S1.bam", token=True),
    dict(name="get-session-token-utf8-key", key="Proben/é ü/S1 (Kopie).bam", token=True),
    dict(name="head-object", method="HEAD", key="cohort/S1.bam.bai", token=True),
    dict(name="put-unsigned-payload", method="PUT", key="cohort/chromoscope config.json",
         payload=UNSIGNED, token=True, headers=[("Content-Type", "application/json")]),
    dict(name="get-list-objects-v2", key="",
         query=[("list-type", "2"), ("prefix", "cohort/"), ("delimiter", "/"),
                ("encoding-type", "url"), ("max-keys", "1000")], token=True),
]


def encode(text, keep_slash):
    """S3's rule: every byte but A-Za-z0-9-._~ as %XX, upper-case hex."""
    return quote(text, safe="/~" if keep_slash else "~")


def wire_query(query):
    parts = []
    for name, value in query:
        parts.append(encode(name, False) + ("" if value is None else "=" + encode(value, False)))
    return "&".join(parts)


def fixed_clock():
    fake = mock.MagicMock(wraps=datetime.datetime)
    fake.utcnow.return_value = TIME.replace(tzinfo=None)
    return mock.patch.object(botocore.auth.datetime, "datetime", fake)


class NoS3PayloadSigning:
    s3 = {"payload_signing_enabled": False}


def botocore_sign(case, query_form):
    """Signs with botocore; returns its canonical request, string to sign,
    signature and the signed request."""
    credentials = botocore.credentials.Credentials(
        ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN if case["token"] else None)
    path = "/" + encode(case["key"], True)
    query = wire_query(case["query"])
    url = f"https://{HOST}{path}" + (f"?{query}" if query else "")
    request = botocore.awsrequest.AWSRequest(method=case["method"], url=url)
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders: setting twice keeps both
    if query_form:
        signer = botocore.auth.S3SigV4QueryAuth(credentials, SERVICE, REGION, expires=EXPIRES)
    else:
        signer = botocore.auth.S3SigV4Auth(credentials, SERVICE, REGION)
        if case["payload"] == UNSIGNED:
            request.context["client_config"] = NoS3PayloadSigning()
    captured = {}
    real_signature = signer.signature

    def spy(string_to_sign, req):
        captured["string_to_sign"] = string_to_sign
        captured["canonical_request"] = signer.canonical_request(req)
        captured["signature"] = real_signature(string_to_sign, req)
        return captured["signature"]

    with fixed_clock(), mock.patch.object(signer, "signature", spy):
        signer.add_auth(request)
    captured["url"] = request.url
    captured["authorization"] = request.headers.get("Authorization")
    return captured


def awscrt_signature(case, query_form):
    """Signs with aws-c-auth (awscrt); returns the signature it put in."""
    path = "/" + encode(case["key"], True)
    query = wire_query(case["query"])
    headers = awscrt.http.HttpHeaders([("Host", HOST)] + list(case["headers"]))
    request = awscrt.http.HttpRequest(case["method"], path + (f"?{query}" if query else ""), headers)
    provider = awscrt.auth.AwsCredentialsProvider.new_static(
        ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN if case["token"] else None)
    config = awscrt.auth.AwsSigningConfig(
        algorithm=awscrt.auth.AwsSigningAlgorithm.V4,
        signature_type=(awscrt.auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS if query_form
                        else awscrt.auth.AwsSignatureType.HTTP_REQUEST_HEADERS),
        credentials_provider=provider,
        region=REGION,
        service=SERVICE,
        date=TIME,
        use_double_uri_encode=False,
        should_normalize_uri_path=False,
        signed_body_value=UNSIGNED if query_form else case["payload"],
        signed_body_header_type=(awscrt.auth.AwsSignedBodyHeaderType.NONE if query_form
                                 else awscrt.auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256),
        expiration_in_seconds=EXPIRES if query_form else None,
    )
    signed = awscrt.auth.aws_sign_request(request, config).result(10)
    if query_form:
        for part in signed.path.split("?", 1)[1].split("&"):
            if part.startswith("X-Amz-Signature="):
                return part.split("=", 1)[1]
        raise SystemExit(f"{case['name']}: awscrt gave no X-Amz-Signature")
    authorization = signed.headers.get("Authorization")
    return authorization.rsplit("Signature=", 1)[1]


def presignable(case):
    return case["method"] == "GET" and not case["query"] and not case["headers"]


def write(folder, name, text):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    names = set()
    for raw in CASES:
        case = {**dict(method="GET", query=[], headers=[], payload=EMPTY_SHA256, token=False), **raw}
        assert case["name"] not in names, case["name"]
        names.add(case["name"])
        folder = os.path.join(HERE, case["name"])
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)

        query = wire_query(case["query"])
        request = f"{case['method']} /{encode(case['key'], True)}{'?' + query if query else ''} HTTP/1.1\n"
        request += f"Host:{HOST}\n"
        for name, value in case["headers"]:
            request += f"{name}:{value}\n"
        write(folder, "request.txt", request)

        context = {
            "credentials": {"access_key_id": ACCESS_KEY_ID, "secret_access_key": SECRET_ACCESS_KEY},
            "region": REGION,
            "service": SERVICE,
            "timestamp": TIME.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "epoch": int(TIME.timestamp()),
            "normalize": False,
            "payload_hash": case["payload"],
        }
        if case["token"]:
            context["credentials"]["session_token"] = SESSION_TOKEN
        forms = ["header"] + (["query"] if presignable(case) else [])
        if "query" in forms:
            context["expiration_in_seconds"] = EXPIRES
        write(folder, "context.json", json.dumps(context, indent=2, ensure_ascii=False) + "\n")

        for form in forms:
            boto = botocore_sign(case, form == "query")
            crt = awscrt_signature(case, form == "query")
            if boto["signature"] != crt:
                raise SystemExit(f"{case['name']} ({form}): botocore and awscrt disagree:\n"
                                 f"  botocore {boto['signature']}\n  awscrt   {crt}\n"
                                 f"botocore's canonical request:\n{boto['canonical_request']}")
            write(folder, f"{form}-canonical-request.txt", boto["canonical_request"])
            write(folder, f"{form}-string-to-sign.txt", boto["string_to_sign"])
            write(folder, f"{form}-signature.txt", boto["signature"])
            if form == "header":
                write(folder, "header-authorization.txt", boto["authorization"])
            else:
                write(folder, "query-signed-url.txt", boto["url"])
        print(f"{case['name']}: {', '.join(forms)}")

    for entry in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, entry)
        if os.path.isdir(path) and entry not in names:
            shutil.rmtree(path)
            print(f"{entry}: removed (no longer a case)")


if __name__ == "__main__":
    sys.exit(main())
