#!/usr/bin/env python3
"""Verifies a callrouter webhook: verify-webhook.py SECRET "<X-Callrouter-Signature value>" < body"""
import hashlib, hmac, sys, time

TOLERANCE_SECONDS = 300  # refuse a timestamp further than this from our clock: a replay

def verify(secret: bytes, header: str, body: bytes, now: float) -> bool:
    fields = dict(f.split("=", 1) for f in header.split(",") if "=" in f)
    t, v1 = fields.get("t", ""), fields.get("v1", "")
    if not t.isdigit() or abs(now - int(t)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret, t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, v1)

if __name__ == "__main__":
    ok = verify(sys.argv[1].encode(), sys.argv[2], sys.stdin.buffer.read(), time.time())
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
