//! Meetings on real project files: the .ics export read back by a real calendar parser.

use crate::util::*;
use liaison_core::meetings::{self, Meeting};
use liaison_core::people::{self, Person};
use std::process::Command;

#[test]
fn the_ics_export_parses_with_a_real_calendar_library() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path(), "会议.liaison");
    let mut project = liaison_core::Project::open(&path).unwrap();
    let conn = project.conn_mut();
    let rare = people::add(
        conn,
        "张伟",
        &Person {
            name: "吉𠮷".into(),
            department: "销售部".into(),
            role: "member".into(),
            contact: "ji@example.com".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let others: Vec<i64> = people::list(conn)
        .unwrap()
        .iter()
        .filter(|p| p.role == "head")
        .map(|p| p.id)
        .collect();
    let mut attendees = others.clone();
    attendees.push(rare.id);
    let m = meetings::save_meeting(
        conn,
        "张伟",
        &Meeting {
            title: "渠道铺货协调会：资金、物流; 排期".into(),
            starts_at: "2023-10-25T10:00:00".into(),
            duration: 90,
            place: "线上腾讯会议 123-456-789".into(),
            agenda: vec!["资金审批（预付 30%）".into(), "物流排期, 首批 30 城".into()],
            attendees,
            ..Default::default()
        },
    )
    .unwrap();
    let ics = liaison_core::ics::meeting(project.conn(), m.id).unwrap();
    let file = dir.path().join("meeting.ics");
    std::fs::write(&file, &ics).unwrap();
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
ev = [c for c in cal.walk() if c.name == 'VEVENT'][0]
att = ev.get('attendee')
att = att if isinstance(att, list) else [att]
print(json.dumps({
  'summary': str(ev.get('summary')),
  'location': str(ev.get('location')),
  'description': str(ev.get('description')),
  'start': ev.decoded('dtstart').isoformat(),
  'minutes': (ev.decoded('dtend') - ev.decoded('dtstart')).seconds // 60,
  'names': [a.params.get('CN') for a in att],
  'addresses': [str(a) for a in att],
}, ensure_ascii=False))
"#;
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .expect("python3 with icalendar (package python3-icalendar, installed by scripts/setup)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"], "渠道铺货协调会：资金、物流; 排期");
    assert_eq!(v["location"], "线上腾讯会议 123-456-789");
    let description = v["description"].as_str().unwrap();
    assert!(
        description.contains("1. 资金审批（预付 30%）")
            && description.contains("2. 物流排期, 首批 30 城"),
        "{description}"
    );
    assert_eq!(v["minutes"], 90);
    let names: Vec<&str> = v["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), others.len() + 1);
    assert!(names.contains(&"吉𠮷"), "{names:?}");
    assert!(v["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "mailto:ji@example.com"));
    // Lines are folded at 75 octets and end in CRLF.
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
}
