//! Reading a task table from .xlsx (bounded, cell by cell) or .csv (UTF-8, UTF-16 or GB18030) as rows of cell texts.

use super::*;

/// The largest spreadsheet file an import reads (a 10,000-task table is about 1 MB as .xlsx).
pub const MAX_SHEET_BYTES: u64 = 20 << 20;
/// The most a workbook may unpack to, in all and per part (its declared sizes, which the zip
/// reader enforces while it unpacks).
pub(super) const MAX_UNPACKED: u64 = 200 << 20;
pub(super) const MAX_PART: u64 = 100 << 20;
/// The most parts a workbook may have.
pub(super) const MAX_PARTS: usize = 10_000;
/// The rows and columns a task table may use, and the cells it may hold: enough for any plan,
/// and few enough that the table in memory stays small.
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 100;
pub(super) const MAX_CELLS: usize = 500_000;
/// How long reading a sheet may take.
pub(super) const MAX_READ_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// Reads the first sheet of an .xlsx/.xlsm file, or a .csv (UTF-8 with or without BOM, UTF-16
/// with or without BOM, or GB18030 as Chinese Excel writes it), as rows of cell texts; dates come
/// as `YYYY-MM-DD`. Everything is bounded: a regular file of at most `MAX_SHEET_BYTES`, a workbook
/// that unpacks to at most `MAX_UNPACKED`, cells within `MAX_ROWS` × `MAX_COLUMNS`, and
/// `MAX_READ_TIME`; the sheet is read cell by cell, so no range is ever allocated from what the
/// file declares.
pub fn read_table(path: &Path) -> Result<(String, Vec<Vec<String>>)> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if ext == "csv" {
        let bytes = crate::interchange::read_bounded(path, MAX_SHEET_BYTES)?;
        let text = decode_csv(&bytes)?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        return Ok((name, parse_csv(&text)));
    }
    if matches!(ext.as_str(), "xls" | "ods") {
        return Err(Error::refused(
            "import.old_format",
            &[("path", path.display().to_string())],
        ));
    }
    if !matches!(ext.as_str(), "xlsx" | "xlsm") {
        return Err(Error::refused(
            "import.bad_extension",
            &[("path", path.display().to_string())],
        ));
    }
    crate::interchange::check_regular(path, MAX_SHEET_BYTES)?;
    read_xlsx(path)
}

/// A refusal of `path` with the catalog message `key`.
pub(super) fn sheet_refusal(path: &Path, key: &str, params: &[(&str, String)]) -> Error {
    let mut all = vec![("path", path.display().to_string())];
    all.extend(params.iter().map(|(k, v)| (*k, v.clone())));
    Error::refused(key, &all)
}

/// Refuses a workbook whose parts would unpack to more than the limits allow, before anything is
/// unpacked.
pub(super) fn check_workbook_size(path: &Path) -> Result<()> {
    let not_workbook = || sheet_refusal(path, "import.not_workbook", &[]);
    let file = std::fs::File::open(path).map_err(|_| not_workbook())?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| not_workbook())?;
    if zip.len() > MAX_PARTS {
        return Err(sheet_refusal(
            path,
            "import.too_big_unpacked",
            &[("mb", (MAX_UNPACKED >> 20).to_string())],
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| not_workbook())?;
        total = total.saturating_add(part.size());
        if part.size() > MAX_PART || total > MAX_UNPACKED {
            return Err(sheet_refusal(
                path,
                "import.too_big_unpacked",
                &[("mb", (MAX_UNPACKED >> 20).to_string())],
            ));
        }
    }
    Ok(())
}

pub(super) fn read_xlsx(path: &Path) -> Result<(String, Vec<Vec<String>>)> {
    let started = std::time::Instant::now();
    check_workbook_size(path)?;
    let not_workbook = || sheet_refusal(path, "import.not_workbook", &[]);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|_| not_workbook())?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| sheet_refusal(path, "import.no_sheet", &[]))?;
    let mut cells = wb
        .worksheet_cells_reader(&name)
        .map_err(|_| not_workbook())?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| not_workbook())? {
        if started.elapsed() > MAX_READ_TIME {
            return Err(sheet_refusal(
                path,
                "import.too_slow",
                &[("seconds", MAX_READ_TIME.as_secs().to_string())],
            ));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        count += 1;
        if row >= MAX_ROWS || col >= MAX_COLUMNS || count > MAX_CELLS {
            return Err(sheet_refusal(
                path,
                "import.too_many_cells",
                &[
                    ("rows", MAX_ROWS.to_string()),
                    ("columns", MAX_COLUMNS.to_string()),
                ],
            ));
        }
        let (row, col) = (row as usize, col as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let line = &mut rows[row];
        if line.len() <= col {
            line.resize(col + 1, String::new());
        }
        line[col] = text;
    }
    Ok((name, rows))
}

/// The text of a .csv file: UTF-8 (a BOM is dropped), UTF-16 (little or big endian, told by its
/// BOM or, without one, by where its zero bytes are), else GB18030. A file with NUL characters
/// in its text is not a table.
pub(super) fn decode_csv(bytes: &[u8]) -> Result<String> {
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some((encoding_rs::UTF_16LE, &bytes[2..]))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((encoding_rs::UTF_16BE, &bytes[2..]))
    } else {
        // UTF-8 and GB18030 text has no zero bytes; UTF-16 has one in every ASCII character
        // (commas, line breaks), on the odd places (little endian) or the even ones (big).
        let sample = &bytes[..bytes.len().min(1 << 16)];
        let zeros = |parity: usize| {
            sample
                .iter()
                .enumerate()
                .filter(|(i, b)| i % 2 == parity && **b == 0)
                .count()
        };
        let (even, odd) = (zeros(0), zeros(1));
        if odd > 0 && even * 10 <= odd {
            Some((encoding_rs::UTF_16LE, bytes))
        } else if even > 0 && odd * 10 <= even {
            Some((encoding_rs::UTF_16BE, bytes))
        } else {
            None
        }
    };
    let text = match utf16 {
        Some((encoding, body)) => encoding.decode_without_bom_handling(body).0.into_owned(),
        None => match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
            Ok(t) => t.to_string(),
            Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
        },
    };
    if text.contains('\0') {
        return Err(Error::refused("import.not_text", &[]));
    }
    Ok(text)
}

pub(super) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
    }
}

/// RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes.
pub(super) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field).trim().to_string()),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field).trim().to_string());
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field.trim().to_string());
        rows.push(row);
    }
    rows
}
