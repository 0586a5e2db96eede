"""Comparison point for bench/storage.sh: boto3 against a fresh moto_server, one 64 MiB put_object and 100 random
64 KiB ranged get_object calls. usage: .venv/bin/python bench/storage_boto3_compare.py PORT"""
import boto3, os, random, subprocess, sys, time, socket
port = int(sys.argv[1])
p = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try: socket.create_connection(("127.0.0.1", port)).close(); break
        except OSError: time.sleep(0.1)
    s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:%d" % port, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    s3.create_bucket(Bucket="bench")
    data = os.urandom(64 << 20)
    t = time.time(); s3.put_object(Bucket="bench", Key="k", Body=data); print("boto3 single PUT 64 MiB: %.1f MB/s" % (len(data) / 1e6 / (time.time() - t)))
    lat = []
    for _ in range(100):
        o = random.randrange(0, len(data) - 65536)
        t = time.time(); body = s3.get_object(Bucket="bench", Key="k", Range="bytes=%d-%d" % (o, o + 65535))["Body"].read(); lat.append(time.time() - t)
        assert body == data[o:o + 65536]
    lat.sort(); print("boto3 100 x 64 KiB ranged GET on a 64 MiB object: p50 %.1f ms p99 %.1f ms" % (lat[50] * 1000, lat[98] * 1000))
finally:
    p.kill(); p.wait()
