//! What the notification pages show, shared by the server and the browser.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One message as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLine {
    pub id: Uuid,
    pub created_at: jiff::Timestamp,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    pub recipient_name: String,
    pub sms_segments: Option<i32>,
}
