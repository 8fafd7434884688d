//! The one place where the desk's web face turns errors into answers: a short
//! page a case worker understands, in their language; the detail stays on the
//! desk's terminal.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse, ResponseError};
use maud::html;

use super::gate::Gate;
use super::views::{self, Ui};
use crate::desk::texts::{t, Lang};
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
    /// Input that makes no sense (an empty reply, an unknown status): the
    /// key of the staff text that says what to change.
    #[error("input refused ({0})")]
    Input(&'static str),
    /// The desk core failed (mirror, identity, server).
    #[error("{0}")]
    Desk(#[from] DeskError),
    /// A background task did not finish.
    #[error("the desk could not finish this task")]
    Task,
}

impl WebDeskError {
    /// The page for this error in the staff language of `ui`.
    fn page(&self, ui: &Ui<'_>) -> HttpResponse {
        let l = ui.lang;
        let title = match self.status_code() {
            StatusCode::FORBIDDEN => t(l, "error-refused"),
            StatusCode::NOT_FOUND => t(l, "error-not-found"),
            StatusCode::BAD_REQUEST => t(l, "error-check"),
            _ => t(l, "error-wrong"),
        };
        // The desk core's messages are for staff (this is their own machine),
        // in English as on the terminal; any server text in them is escaped.
        let message = match self {
            WebDeskError::FormToken => html! { (t(l, "error-form-token")) },
            WebDeskError::NotFound => html! { (t(l, "error-not-in-mirror")) },
            WebDeskError::NotAnImage => html! { (t(l, "error-not-an-image")) },
            WebDeskError::Input(key) => html! { (t(l, key)) },
            WebDeskError::Desk(e) => {
                html! { (t(l, "error-desk")) " " span lang="en" { (e.to_string()) } }
            }
            WebDeskError::Task => html! { (t(l, "error-task")) },
        };
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(views::problem(ui, &title, &message).into_string())
    }
}

impl ResponseError for WebDeskError {
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
        if let WebDeskError::Desk(e) = self {
            eprintln!("desk: {}", crate::desk::terminal::line(&e.to_string()));
        }
        // Without the request there is no session here: the default language,
        // no switch. [`in_staff_language`] renders it again for the session.
        self.page(&Ui {
            lang: Lang::default(),
            gate: None,
        })
    }
}

/// Middleware: an error page in the session's language, with the language
/// switch, in place of the one [`WebDeskError::error_response`] made.
pub async fn in_staff_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(gate) = res.request().app_data::<web::Data<Gate>>().cloned() else {
        return Ok(res);
    };
    let page = res
        .response()
        .error()
        .and_then(|e| e.as_error::<WebDeskError>())
        .map(|e| e.page(&Ui::new(&gate)));
    Ok(match page {
        Some(page) => res.into_response(page.map_into_boxed_body()),
        None => res,
    })
}

impl From<actix_web::error::BlockingError> for WebDeskError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        WebDeskError::Task
    }
}
