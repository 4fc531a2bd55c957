# A real SMTP server on 127.0.0.1 for the send tests (aiosmtpd, Debian's python3-aiosmtpd):
# prints its port, saves each message as NNN.eml with NNN.json (envelope, login), and can refuse
# recipients with 550 (refuse=a@x,b@y), drop the connection at a recipient (drop=c@z) or require
# a login (login=user:password). Usage: smtp_server.py OUT_DIR [refuse=…] [drop=…] [login=…]
import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult

out = sys.argv[1]
opts = dict(a.split("=", 1) for a in sys.argv[2:])
refuse = set(filter(None, opts.get("refuse", "").split(",")))
drop = set(filter(None, opts.get("drop", "").split(",")))
login = opts.get("login")


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address in drop:
            server.transport.abort()
            return "250 OK"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith(".eml")])
        base = os.path.join(out, "%03d" % n)
        with open(base + ".json", "w") as f:
            who = session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "login": who}, f)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %03d" % n


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = login.split(":", 1)
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    loop = asyncio.get_running_loop()
    kw = {}
    if login:
        kw = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    srv = await loop.create_server(lambda: SMTP(Handler(), **kw), "127.0.0.1", 0)
    print(srv.sockets[0].getsockname()[1], flush=True)
    await srv.serve_forever()


asyncio.run(main())
