# A loopback stand-in for the group robots' webhooks: prints its port, saves each POST as NNN.json
# (path, raw query, JSON body) with its own check of the signature (Python's hmac, independent of
# the Rust code) for DingTalk (/dingtalk…, query timestamp+sign) and Feishu (/feishu…, body
# timestamp+sign), and answers like the platform: errcode/code 0, or an error under /fail.
# Usage: webhook.py OUT_DIR SECRET
import base64
import hashlib
import hmac
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

out, secret = sys.argv[1], sys.argv[2]


def b64hmac(key, msg):
    return base64.b64encode(hmac.new(key.encode(), msg.encode(), hashlib.sha256).digest()).decode()


class Hook(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        data = json.loads(body)
        check = None
        if "dingtalk" in url.path:
            ts = q["timestamp"][0]
            check = q["sign"][0] == b64hmac(secret, "%s\n%s" % (ts, secret))
        elif "feishu" in url.path:
            ts = data["timestamp"]
            check = data["sign"] == b64hmac("%s\n%s" % (ts, secret), "")
        n = len([f for f in os.listdir(out) if f.endswith(".json")])
        rec = {"path": url.path, "query": url.query, "body": data, "signed": check,
               "type": self.headers["Content-Type"]}
        with open(os.path.join(out, "%03d.tmp" % n), "w") as f:
            json.dump(rec, f, ensure_ascii=False)
        os.rename(os.path.join(out, "%03d.tmp" % n), os.path.join(out, "%03d.json" % n))
        if "fail" in url.path:
            answer = {"errcode": 310000, "errmsg": "sign not match"}
        elif "feishu" in url.path:
            answer = {"code": 0, "msg": "success", "data": {}}
        else:
            answer = {"errcode": 0, "errmsg": "ok"}
        reply = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


srv = HTTPServer(("127.0.0.1", 0), Hook)
print(srv.server_address[1], flush=True)
srv.serve_forever()
