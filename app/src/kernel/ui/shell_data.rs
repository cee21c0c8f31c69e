//! What every page's frame knows: the clinic and the current user, loaded once per request,
//! and the header's log-out action. Pages read it to hide what the caller cannot use.

use crate::kernel::{auth::CurrentUser, error::AppError, ui::once::Loaded, values::Named};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShellInfo {
    pub clinic: Option<Named>,
    pub user: Option<CurrentUser>,
    /// The server runs the demo clinic (sample people, a password printed at start-up).
    pub demo: bool,
}

/// Header data (clinic, current user) for the whole page, loaded once per request. The browser
/// never re-renders the frame (it is outside islands): after log-out or a language switch the
/// whole page reloads, so the header never shows a stale user.
#[derive(Clone)]
pub struct ShellData(pub Loaded<Result<ShellInfo, AppError>>);

/// The header's log-out action, created once per page by the frame.
#[derive(Clone, Copy)]
pub struct LogoutAction(pub ServerAction<crate::kernel::auth::logout::Logout>);
