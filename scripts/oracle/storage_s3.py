"""boto3 as the judge of the Swift S3 store (tests in Tests/StorageTests).

usage: storage_s3.py iam-key URL                 -> "ACCESS_KEY SECRET" of a new IAM user allowed everything
       storage_s3.py create-bucket URL BUCKET
       storage_s3.py put URL BUCKET KEY FILE
       storage_s3.py digest URL BUCKET KEY       -> JSON {sha256, size, etag} of the object as boto3 downloads it
       storage_s3.py keys URL BUCKET PREFIX      -> JSON list of keys (boto3 paginator)
       storage_s3.py file-sha256 PATH            -> sha256 hex of a local file
Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else "test"/"test".
"""
import hashlib
import json
import os
import sys

import boto3


def client(service, url):
    return boto3.client(
        service,
        endpoint_url=url,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        region_name="us-east-1",
    )


def main(argv):
    cmd = argv[0]
    if cmd == "iam-key":
        iam = client("iam", argv[1])
        iam.create_user(UserName="homer")
        key = iam.create_access_key(UserName="homer")["AccessKey"]
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        iam.put_user_policy(UserName="homer", PolicyName="all", PolicyDocument=json.dumps(policy))
        print(key["AccessKeyId"], key["SecretAccessKey"])
    elif cmd == "create-bucket":
        client("s3", argv[1]).create_bucket(Bucket=argv[2])
    elif cmd == "put":
        with open(argv[4], "rb") as f:
            client("s3", argv[1]).put_object(Bucket=argv[2], Key=argv[3], Body=f.read())
    elif cmd == "digest":
        obj = client("s3", argv[1]).get_object(Bucket=argv[2], Key=argv[3])
        body = obj["Body"].read()
        print(json.dumps({"sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "etag": obj["ETag"]}))
    elif cmd == "keys":
        pages = client("s3", argv[1]).get_paginator("list_objects_v2").paginate(Bucket=argv[2], Prefix=argv[3])
        print(json.dumps([o["Key"] for page in pages for o in page.get("Contents", [])]))
    elif cmd == "file-sha256":
        h = hashlib.sha256()
        with open(argv[1], "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        print(h.hexdigest())
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
