"""moto's S3 server with IAM authentication on: what hack/s3-server.sh runs (see there)."""
import argparse
import json
import os
from pathlib import Path
import signal
import sys
import threading
import time

# Exactly the IAM calls below run unauthenticated; every later request must be signed with the user's key.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

from moto.server import ThreadedMotoServer  # noqa: E402
import boto3  # noqa: E402

REGION = "us-east-1"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--bucket", action="append", default=[])
    p.add_argument("--put", action="append", default=[], metavar="BUCKET/PREFIX=DIR",
                   help="upload DIR's files under PREFIX, as a user's data would be (aws s3 cp --recursive)")
    p.add_argument("--owner-pid", type=int)
    a = p.parse_args()

    server = ThreadedMotoServer(ip_address=a.host, port=a.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="serendip")
    iam.put_user_policy(UserName="serendip", PolicyName="artifacts", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="serendip")["AccessKey"]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                      aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    for bucket in a.bucket:
        s3.create_bucket(Bucket=bucket)
    for put in a.put:
        target, local = put.split("=", 1)
        bucket, _, prefix = target.partition("/")
        for path in sorted(Path(local).rglob("*")):
            if path.is_file():
                s3.upload_file(str(path), bucket, f"{prefix.rstrip('/')}/{path.relative_to(local).as_posix()}")

    print(json.dumps({"endpoint": endpoint, "accessKeyId": key["AccessKeyId"],
                      "secretAccessKey": key["SecretAccessKey"], "region": REGION}), flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    while not done.wait(1.0):
        if a.owner_pid and not os.path.exists(f"/proc/{a.owner_pid}"):
            break
    server.stop()


if __name__ == "__main__":
    main()
