# Reads the messages the test SMTP server saved (OUT_DIR/*.eml) with Python's own email package
# and the .ics with icalendar, and prints what the tests check as JSON: envelope, decoded
# headers, the MIME tree, bodies, attachments (decoded names, base64 content) and the invitation.
import base64
import email
import email.header
import glob
import json
import os
import sys
from email import policy

import icalendar


def decoded(raw):
    return str(email.header.make_header(email.header.decode_header(raw))) if raw else None


def tree(part):
    if part.is_multipart():
        return {"type": part.get_content_type(), "parts": [tree(p) for p in part.iter_parts()]}
    return {"type": part.get_content_type()}


def invitation(text):
    cal = icalendar.Calendar.from_ical(text)
    ev = [c for c in cal.walk() if c.name == "VEVENT"][0]
    att = ev.get("attendee") or []
    att = att if isinstance(att, list) else [att]
    org = ev.get("organizer")
    return {
        "method": str(cal.get("method")),
        "uid": str(ev.get("uid")),
        "sequence": int(ev.get("sequence")),
        "summary": str(ev.get("summary")),
        "start": ev.decoded("dtstart").isoformat(),
        "attendees": [str(a) for a in att],
        "names": [a.params.get("CN") for a in att],
        "organizer": str(org) if org else None,
    }


out = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=policy.default)
    old = email.message_from_bytes(raw)
    m = {
        "envelope": json.load(open(path[:-4] + ".json")),
        "subject": str(msg["subject"]),
        "subject_raw": old["subject"],
        "from": str(msg["from"]),
        "to": str(msg["to"]),
        "message_id": str(msg["message-id"]),
        "tree": tree(msg),
        "plain": None,
        "html": None,
        "calendar": None,
        "calendar_params": None,
        "attachments": [],
    }
    for part, oldpart in zip(msg.walk(), old.walk()):
        if part.is_multipart():
            continue
        ct = part.get_content_type()
        if part.get_content_disposition() == "attachment":
            m["attachments"].append({
                "filename": part.get_filename(),
                "disposition_raw": oldpart["content-disposition"],
                "type": ct,
                "name_param": decoded(oldpart.get_param("name")),
                "data": base64.b64encode(part.get_payload(decode=True)).decode(),
            })
        elif ct == "text/plain":
            m["plain"] = part.get_content()
        elif ct == "text/html":
            m["html"] = part.get_content()
        elif ct == "text/calendar":
            m["calendar_params"] = dict(part["content-type"].params)
            m["calendar"] = invitation(part.get_content())
    out.append(m)
print(json.dumps(out, ensure_ascii=False))
