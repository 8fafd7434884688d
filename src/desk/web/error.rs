//! The one place where the desk's web face turns errors into answers: a short
//! page a case worker understands; the detail stays on the desk's terminal.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::views;
use crate::desk::DeskError;

/// What a desk page or action can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebDeskError {
    /// A POST without this session's token for that form.
    #[error("this form is out of date or came from elsewhere; reload the page and try again")]
    FormToken,
    /// No such report or attachment in the mirror.
    #[error("not found in the mirror")]
    NotFound,
    /// An attachment whose bytes are not an image the desk shows inline.
    #[error("this file is not an image the desk shows; save it instead")]
    NotAnImage,
    /// Input that makes no sense (an empty reply, an unknown status).
    #[error("{0}")]
    Input(String),
    /// The desk core failed (mirror, identity, server).
    #[error("{0}")]
    Desk(#[from] DeskError),
    /// A background task did not finish.
    #[error("the desk could not finish this task")]
    Task,
}

impl actix_web::ResponseError for WebDeskError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebDeskError::FormToken => StatusCode::FORBIDDEN,
            WebDeskError::NotFound | WebDeskError::NotAnImage => StatusCode::NOT_FOUND,
            WebDeskError::Desk(DeskError::NotFound(_)) => StatusCode::NOT_FOUND,
            WebDeskError::Input(_) | WebDeskError::Desk(DeskError::Usage(_)) => {
                StatusCode::BAD_REQUEST
            }
            WebDeskError::Desk(DeskError::Unreachable(_) | DeskError::Server { .. }) => {
                StatusCode::BAD_GATEWAY
            }
            WebDeskError::Desk(_) | WebDeskError::Task => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // The desk core's messages are for staff (this is their own machine);
        // any text from the server in them is escaped by the view.
        let title = match self.status_code() {
            StatusCode::FORBIDDEN => "Refused",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::BAD_REQUEST => "Please check",
            _ => "Something went wrong",
        };
        if let WebDeskError::Desk(e) = self {
            eprintln!("desk: {}", crate::desk::terminal::line(&e.to_string()));
        }
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(views::problem(title, &self.to_string()).into_string())
    }
}

impl From<actix_web::error::BlockingError> for WebDeskError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        WebDeskError::Task
    }
}
