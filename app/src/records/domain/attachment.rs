//! A file in the chart: what it is (lab report, radiology, referral), its title, whether the
//! patient sees it, and its type as its bytes say, whatever its name or the browser claim.

use crate::kernel::values::TextRule;
use serde::{Deserialize, Serialize};

pub const TITLE: TextRule = TextRule::line(200);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Lab,
    Radiology,
    Referral,
    Other,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 4] = [
        AttachmentKind::Lab,
        AttachmentKind::Radiology,
        AttachmentKind::Referral,
        AttachmentKind::Other,
    ];

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == input.trim())
            .ok_or("err-attachment-kind")
    }

    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::Lab => "lab",
            AttachmentKind::Radiology => "radiology",
            AttachmentKind::Referral => "referral",
            AttachmentKind::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AttachmentKind::Lab => "att-kind-lab",
            AttachmentKind::Radiology => "att-kind-radiology",
            AttachmentKind::Referral => "att-kind-referral",
            AttachmentKind::Other => "att-kind-other",
        }
    }
}

/// The file types a chart accepts: what scanners, phones and lab systems produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Webp,
}

impl FileType {
    const ALL: [FileType; 4] = [FileType::Pdf, FileType::Png, FileType::Jpeg, FileType::Webp];

    /// The type the first bytes announce, if it is one we accept.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        let found = infer::get(bytes)?.mime_type();
        Self::ALL.into_iter().find(|t| t.mime() == found)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Webp => "image/webp",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
            FileType::Webp => "webp",
        }
    }

    pub fn is_image(self) -> bool {
        self != FileType::Pdf
    }
}

/// Why a file is refused, as the message key the upload form shows beside the file field.
pub fn check_file(bytes: &[u8], max_bytes: usize) -> Result<FileType, &'static str> {
    if bytes.is_empty() {
        return Err("err-attachment-empty");
    }
    if bytes.len() > max_bytes {
        return Err("err-attachment-too-large");
    }
    FileType::sniff(bytes).ok_or("err-attachment-type")
}

/// What the form says about the file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub kind: AttachmentKind,
    pub title: String,
    pub shared: bool,
}

impl AttachmentInfo {
    pub fn parse(
        kind: &str,
        title: &str,
        shared: bool,
    ) -> Result<Self, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let kind = AttachmentKind::parse(kind)
            .map_err(|k| errors.push(("att_kind", k)))
            .ok();
        let title = TITLE
            .parse_required(title)
            .map_err(|k| errors.push(("att_title", k)))
            .ok();
        match (kind, title) {
            (Some(kind), Some(title)) => Ok(Self {
                kind,
                title,
                shared,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(check_file(PDF, 100), Ok(FileType::Pdf));
        assert_eq!(check_file(PNG, 100), Ok(FileType::Png));
        assert_eq!(check_file(JPEG, 100), Ok(FileType::Jpeg));
        // A script renamed report.pdf, an HTML page, a ZIP: refused whatever their name.
        assert_eq!(
            check_file(b"#!/bin/sh\nrm -rf /\n", 100),
            Err("err-attachment-type")
        );
        assert_eq!(
            check_file(b"<html><script>alert(1)</script>", 100),
            Err("err-attachment-type")
        );
        assert_eq!(
            check_file(&[b'P', b'K', 3, 4, 0, 0, 0, 0], 100),
            Err("err-attachment-type")
        );
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(check_file(b"", 100), Err("err-attachment-empty"));
        let big = [PDF, &[b' '; 200][..]].concat();
        assert_eq!(check_file(&big, 100), Err("err-attachment-too-large"));
        assert_eq!(check_file(&big, big.len()), Ok(FileType::Pdf));
    }

    #[test]
    fn mime_round_trips_and_form_fields_parse() {
        for t in FileType::ALL {
            assert_eq!(FileType::from_mime(t.mime()), Some(t));
        }
        assert_eq!(FileType::from_mime("text/html"), None);
        let info = AttachmentInfo::parse("lab", " CBC تحليل دم ", true).expect("valid");
        assert_eq!(info.kind, AttachmentKind::Lab);
        assert_eq!(info.title, "CBC تحليل دم");
        assert_eq!(
            AttachmentInfo::parse("x-ray", "", false),
            Err(vec![
                ("att_kind", "err-attachment-kind"),
                ("att_title", "err-text-required")
            ])
        );
    }
}
