"""botocore's own SigV4 signer as an independent judge of the Swift signer.

stdin: JSON list of {"method", "url", "headers": {name: value}, "body_hex", "access_key", "secret", "token",
                     "region", "timestamp": "YYYYMMDDTHHMMSSZ"}
stdout: JSON list of the Authorization header botocore computes for each request.
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

out = []
for r in json.load(sys.stdin):
    when = datetime.datetime.strptime(r["timestamp"], "%Y%m%dT%H%M%SZ")
    request = AWSRequest(method=r["method"], url=r["url"], headers=r["headers"], data=bytes.fromhex(r["body_hex"]))
    signer = botocore.auth.S3SigV4Auth(Credentials(r["access_key"], r["secret"], r.get("token")), "s3", r["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        signer.add_auth(request)
    out.append(request.headers["Authorization"])
print(json.dumps(out))
