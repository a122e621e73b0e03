//! A minimal FIT encoder for tests, written from the FIT protocol description (Garmin FIT SDK,
//! "FIT File Protocol"): a 14-byte header, definition and data messages, and the CRC-16 the
//! SDK specifies. Independent of the decoder under test (the `fitparser` crate).

/// FIT's epoch, 1989-12-31 00:00:00 UTC, in Unix seconds.
pub const FIT_EPOCH: i64 = 631_065_600;

/// FIT base types used here (FIT SDK, "Base Types").
pub const ENUM: u8 = 0x00;
pub const SINT8: u8 = 0x01;
pub const UINT8: u8 = 0x02;
pub const UINT16: u8 = 0x84;
pub const UINT32: u8 = 0x86;

/// The FIT SDK's CRC-16 (nibble table).
pub fn crc16(bytes: &[u8]) -> u16 {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc: u16 = 0;
    for &b in bytes {
        let tmp = TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ TABLE[(b & 0xF) as usize];
        let tmp = TABLE[(crc & 0xF) as usize];
        crc = (crc >> 4) & 0x0FFF;
        crc = crc ^ tmp ^ TABLE[((b >> 4) & 0xF) as usize];
    }
    crc
}

/// One field of a message: (field number, base type, value as little-endian bytes).
pub struct F(pub u8, pub u8, pub Vec<u8>);

pub fn u8f(num: u8, base: u8, v: u8) -> F {
    F(num, base, vec![v])
}
pub fn i8f(num: u8, v: i8) -> F {
    F(num, SINT8, v.to_le_bytes().to_vec())
}
pub fn u16f(num: u8, v: u16) -> F {
    F(num, UINT16, v.to_le_bytes().to_vec())
}
pub fn u32f(num: u8, v: u32) -> F {
    F(num, UINT32, v.to_le_bytes().to_vec())
}

/// A FIT file of messages (global message number, fields), each with its own local type 0
/// definition just before it.
pub fn file(messages: &[(u16, Vec<F>)]) -> Vec<u8> {
    let mut data = Vec::new();
    for (global, fields) in messages {
        // Definition message, local type 0: reserved, little-endian, global number, fields.
        data.push(0x40);
        data.push(0);
        data.push(0);
        data.extend_from_slice(&global.to_le_bytes());
        data.push(fields.len() as u8);
        for f in fields {
            data.extend_from_slice(&[f.0, f.2.len() as u8, f.1]);
        }
        // Data message, local type 0.
        data.push(0x00);
        for f in fields {
            data.extend_from_slice(&f.2);
        }
    }
    let mut out = vec![14u8, 0x20];
    out.extend_from_slice(&2132u16.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(b".FIT");
    let header_crc = crc16(&out);
    out.extend_from_slice(&header_crc.to_le_bytes());
    out.extend_from_slice(&data);
    let crc = crc16(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// FIT seconds of a UTC date-time `YYYY-MM-DD HH:MM:SS`.
pub fn fit_time(utc: &str) -> u32 {
    let t = chrono::NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M:%S").unwrap();
    (t.and_utc().timestamp() - FIT_EPOCH) as u32
}

/// An activity file with one session (FIT profile numbers: file_id 0, session 18,
/// activity 34; sport 1 = running, 2 = cycling; sub_sport 1 = treadmill).
pub struct Run {
    pub start_utc: &'static str,
    pub timer_s: u32,
    pub distance_m: u32,
    pub sport: u8,
    pub sub_sport: u8,
    pub avg_hr: u8,
    pub max_hr: u8,
    pub avg_temp_c: i8,
    /// Local time minus UTC, seconds (the activity message's local_timestamp).
    pub utc_offset_s: i64,
}

pub fn activity(r: &Run) -> Vec<u8> {
    let start = fit_time(r.start_utc);
    let end = start + r.timer_s;
    file(&[
        // file_id: type 4 = activity, manufacturer 1 = Garmin, time_created.
        (0, vec![u8f(0, ENUM, 4), u16f(1, 1), u32f(4, start)]),
        // session: timestamp 253, start_time 2, sport 5, sub_sport 6, total_elapsed_time 7
        // and total_timer_time 8 (s × 1000), total_distance 9 (m × 100), avg/max heart rate
        // 16/17, avg_temperature 57 (°C).
        (
            18,
            vec![
                u32f(253, end),
                u32f(2, start),
                u8f(5, ENUM, r.sport),
                u8f(6, ENUM, r.sub_sport),
                u32f(7, r.timer_s * 1000),
                u32f(8, r.timer_s * 1000),
                u32f(9, r.distance_m * 100),
                u8f(16, UINT8, r.avg_hr),
                u8f(17, UINT8, r.max_hr),
                i8f(57, r.avg_temp_c),
            ],
        ),
        // activity: timestamp 253, local_timestamp 5.
        (
            34,
            vec![
                u32f(253, end),
                u32f(5, (i64::from(end) + r.utc_offset_s) as u32),
            ],
        ),
    ])
}

#[test]
fn crc_of_the_sdk_example() {
    // The CRC-16 used by FIT is CRC-16/ARC (poly 0xA001 reflected, init 0): its published
    // check value for "123456789" is 0xBB3D.
    assert_eq!(crc16(b"123456789"), 0xBB3D);
}
