//! The form side of `update`: opening forms on the right records, reading
//! them back on every change, saving, and putting a kept draft back.

use super::{command, error, info};
use crate::app::Confirm;
use crate::app::form::{FieldKey, FormWarning};
use crate::app::forms::{self, session::Context};
use crate::app::keymap::{Command, Ctx};
use crate::app::{Effect, FormState, Purpose, Screen, State, Write};
use crate::db::ClientTree;
use crate::domain::{Session, Warning};

pub(super) fn open_form(
    s: &mut State,
    form: crate::app::form::Form,
    purpose: Purpose,
) -> Vec<Effect> {
    if s.read_only {
        error(s, "Read-only database: nothing can be changed");
        return Vec::new();
    }
    let default_time = s.now.time();
    let return_to = s.form_origin.take().unwrap_or(s.screen);
    let mut fs = FormState {
        form,
        purpose,
        default_time,
        return_to,
        save_armed: false,
        namesakes: Vec::new(),
    };
    if let Purpose::EditSession { base, .. } = &fs.purpose {
        fs.default_time = base.performed_at.time();
    }
    revalidate(&mut fs, s.now);
    let client_form = matches!(fs.purpose, Purpose::AddClient | Purpose::EditClient { .. });
    s.form = Some(fs);
    s.status = None;
    if client_form {
        vec![Effect::LoadNamesakes]
    } else {
        Vec::new()
    }
}

/// Re-reads the whole form so every field shows its current problem.
pub(super) fn revalidate(fs: &mut FormState, now: chrono::NaiveDateTime) -> Option<Effect> {
    let today = now.date();
    fs.form.clear_errors();
    let form = &mut fs.form;
    if let Purpose::Export {
        subject,
        proposed,
        home,
    } = &mut fs.purpose
    {
        forms::export::show_bom_for_csv(form);
        // Follow format and scope with the file name until one is typed.
        if form.text(FieldKey::File) == proposed.as_str() {
            let dir = std::path::Path::new(proposed.as_str())
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            let fresh = forms::export::default_path(form, subject, &dir, today);
            if let Some(f) = form.field_mut(FieldKey::File) {
                f.set_text(&fresh);
            }
            *proposed = fresh;
        }
        return forms::export::build(form, subject, home.as_deref())
            .map(|r| Effect::Export(Box::new(r)));
    }
    if let Purpose::AttachPhotos(t) = &fs.purpose {
        return crate::app::photos::build(form, t)
            .map(|r| Effect::Write(Box::new(Write::AttachPhotos(t.session_id, t.day, r))));
    }
    let write = match &fs.purpose {
        Purpose::AddClient => {
            forms::series::refresh(form, today);
            let c = forms::client::build(form, today, None);
            form.warnings = duplicates(c.as_ref(), &fs.namesakes, None);
            let series = forms::client::build_first_series(form, today);
            Some(Write::AddClient(c?, Some(series?)))
        }
        Purpose::EditClient { id, previous } => {
            let c = forms::client::build(form, today, Some(previous));
            form.warnings = duplicates(c.as_ref(), &fs.namesakes, Some(*id));
            c.map(|c| Write::EditClient(*id, c))
        }
        Purpose::NewSeries { client_id } => {
            forms::series::refresh(form, today);
            forms::series::build(form, today).map(|d| Write::NewSeries(*client_id, d))
        }
        Purpose::EditPlan { id, current, .. } => {
            forms::series::refresh(form, today);
            forms::series::build_plan(form, today, current).map(|d| Write::EditPlan(*id, d, false))
        }
        Purpose::CloseSeries { id } => {
            forms::series::build_close(form).map(|c| Write::CloseSeries(*id, c))
        }
        Purpose::NewSession { series_id, ctx } => {
            forms::session::refresh(form, ctx, now, fs.default_time);
            let mut d = forms::session::build(form, ctx, now, fs.default_time, None)?;
            d.acknowledged_warnings = form.session_warnings().cloned().map(Into::into).collect();
            Some(Write::NewSession(*series_id, d))
        }
        Purpose::EditSession { id, ctx, base } => {
            forms::session::refresh(form, ctx, now, fs.default_time);
            let mut d = forms::session::build(form, ctx, now, fs.default_time, Some(base))?;
            // Seen again when editing: recorded once (same code and parameters).
            for w in form.session_warnings() {
                if !d.acknowledged_warnings.iter().any(|a| a.is(w)) {
                    d.acknowledged_warnings.push(w.clone().into());
                }
            }
            Some(Write::EditSession(*id, d))
        }
        Purpose::Followup {
            session_id,
            session_day,
            previous,
            prolonged_after,
        } => forms::followup::build(form, today, *session_day, previous, *prolonged_after)
            .map(|f| Write::Followup(*session_id, f)),
        Purpose::Export { .. } | Purpose::AttachPhotos(_) => None,
    };
    write
        .filter(|_| fs.form.invalid_fields().is_empty())
        .map(|w| Effect::Write(Box::new(w)))
}

/// The duplicate warning for a client form (empty until the existing
/// clients have been loaded, or when the form cannot be read yet).
fn duplicates(
    draft: Option<&crate::domain::ClientDraft>,
    namesakes: &[crate::domain::Namesake],
    except: Option<i64>,
) -> Vec<FormWarning> {
    draft
        .and_then(|c| {
            crate::domain::duplicate_warning(&crate::domain::likely_duplicates(
                c, namesakes, except,
            ))
        })
        .map(FormWarning::Note)
        .into_iter()
        .collect()
}

pub(super) fn save(s: &mut State) -> Vec<Effect> {
    let now = s.now;
    let again = format!(
        "Only the date is recorded — {} again saves it as it is, {} cancels",
        s.keymap.say(Ctx::Form, Command::Save),
        s.keymap.say(Ctx::Form, Command::Cancel)
    );
    let Some(fs) = s.form.as_mut() else {
        return Vec::new();
    };
    match revalidate(fs, now) {
        Some(_)
            if !fs.save_armed && fs.form.session_warnings().any(|w| *w == Warning::OnlyDate) =>
        {
            // An accidental `n`, `Ctrl-S` must not count as a visit.
            fs.save_armed = true;
            error(s, again);
            Vec::new()
        }
        Some(Effect::Write(w)) => {
            if let Some(question) = rescales(fs, &w) {
                s.confirm = Some(question);
                return Vec::new();
            }
            info(s, "Saving…");
            vec![Effect::Write(w)]
        }
        Some(Effect::Export(mut request)) => {
            s.export_format = request.format;
            request.clinic = s.settings.clinic.clone();
            request.rules = s.rules.clone();
            if request.path.is_file() {
                s.confirm = Some(crate::app::Confirm::Overwrite(request));
                return Vec::new();
            }
            info(s, "Exporting…");
            vec![Effect::Export(request)]
        }
        Some(effect) => {
            info(s, "Saving…");
            vec![effect]
        }
        None => {
            let fields = fs.form.invalid_fields().join(", ");
            error(s, format!("Cannot save yet — fix: {fields}"));
            Vec::new()
        }
    }
}

/// The confirm key in a session form: the pre-treatment check is
/// confirmed with the answers shown, and the warnings follow.
pub(super) fn confirm_check(s: &mut State) -> Vec<Effect> {
    let now = s.now;
    let Some(fs) = s.form.as_mut() else {
        return Vec::new();
    };
    if !forms::session::confirm_check(&mut fs.form) {
        let text = match fs.form.field(FieldKey::PreCheck) {
            Some(_) => "The pre-treatment check is already confirmed",
            None => "This form has no pre-treatment check",
        };
        info(s, text);
        return Vec::new();
    }
    revalidate(fs, now);
    info(s, "Pre-treatment check confirmed with the answers shown");
    Vec::new()
}

/// The question a plan change asks first: a new outcome scale for a series
/// whose sessions have scores on the old one.
fn rescales(fs: &FormState, w: &Write) -> Option<Confirm> {
    let (
        Purpose::EditPlan {
            current, scored, ..
        },
        Write::EditPlan(id, plan, false),
    ) = (&fs.purpose, w)
    else {
        return None;
    };
    (*scored > 0 && plan.outcome_scale != current.outcome_scale).then(|| Confirm::Rescale {
        id: *id,
        plan: Box::new(plan.clone()),
        scored: *scored,
        from: current.outcome_scale,
    })
}

/// `p`: the plan of the selected series.
pub(super) fn edit_plan(s: &mut State) -> Vec<Effect> {
    let (Some(tree), Some(st)) = (s.detail.as_ref(), s.current_series()) else {
        return Vec::new();
    };
    let current = st.series.data.clone();
    let scored = st
        .sessions
        .iter()
        .filter(|x| x.data.outcome_score.is_some())
        .count() as u32;
    let title = format!(
        "Plan of the {} series — {}",
        current.concern.label(),
        tree.client.data.name
    );
    let form = forms::series::plan_form(title, &current, s.today());
    let purpose = Purpose::EditPlan {
        id: st.series.id,
        current,
        scored,
    };
    open_form(s, form, purpose)
}

/// `C`: close the selected series early, or reopen it when closed.
pub(super) fn close_or_reopen(s: &mut State) -> Vec<Effect> {
    let (Some(tree), Some(st)) = (s.detail.as_ref(), s.current_series()) else {
        return Vec::new();
    };
    let id = st.series.id;
    let what = format!(
        "the {} series of {}",
        st.series.data.concern.label(),
        tree.client.data.name
    );
    if st.series.data.status == crate::domain::SeriesStatus::Closed {
        let closed = st.series.data.closure.describe();
        s.confirm = Some(Confirm::Reopen { id, what, closed });
        return Vec::new();
    }
    let form = forms::series::close_form(format!("Close {what}"), s.today());
    open_form(s, form, Purpose::CloseSeries { id })
}

/// What the session form checks against: the client, the series, the
/// dates of its sessions other than `editing`, and the client's adverse
/// events still ongoing from any series (but not from `editing`).
pub(super) fn session_context(
    tree: &ClientTree,
    series_idx: usize,
    editing: Option<i64>,
    rules: crate::domain::Rules,
) -> Option<Context> {
    let st = tree.series.get(series_idx)?;
    let mut history = crate::domain::ClientHistory::default();
    for other in &tree.series {
        history.add_series(
            &other.series.data,
            other
                .sessions
                .iter()
                .filter(|x| Some(x.id) != editing)
                .map(|x| &x.data),
        );
    }
    // A new session's check starts from the client's last answers, in
    // whichever series they were given.
    let (carried, carried_from) = match editing {
        Some(_) => (Vec::new(), crate::domain::CheckSource::Nothing),
        None => crate::domain::carried_check(
            &tree.client.data,
            tree.series
                .iter()
                .flat_map(|t| &t.sessions)
                .map(|x| &x.data),
        ),
    };
    Some(Context {
        client: tree.client.data.clone(),
        series: st.series.data.clone(),
        history,
        others: st
            .sessions
            .iter()
            .filter(|x| Some(x.id) != editing)
            .map(|x| x.data.performed_at.date())
            .collect(),
        defaults: None,
        editing: editing.is_some(),
        rules,
        ongoing: tree.ongoing_events(editing),
        carried,
        carried_from,
    })
}

pub(super) fn new_session(s: &mut State) -> Vec<Effect> {
    if s.screen == Screen::Clients {
        // The form needs the client's series; open the client, then the form.
        let Some(id) = s.selected_row().map(|r| r.id) else {
            return Vec::new();
        };
        // Always read the client afresh: a detail kept from an earlier
        // visit may predate a session saved since, and the form carries
        // over from the last session and checks the interval against it.
        s.form_origin = Some(Screen::Clients);
        s.detail = None;
        s.screen = Screen::Client;
        s.after_load = Some(Command::NewSession);
        return vec![Effect::LoadDetail(id)];
    }
    let Some(tree) = s.detail.as_ref() else {
        return Vec::new();
    };
    let Some(st) = tree.series.get(s.series_idx) else {
        return command(s, Command::NewSeries);
    };
    let Some(mut ctx) = session_context(tree, s.series_idx, None, s.settings.rules()) else {
        return Vec::new();
    };
    // Carry over from the newest session by date.
    let last = st
        .sessions
        .iter()
        .max_by_key(|x| (x.data.performed_at, x.id))
        .map(|x| &x.data);
    let mut form = forms::session::new_form(
        &tree.client.data.name,
        &ctx,
        last,
        &s.settings.defaults,
        s.now,
    );
    ctx.defaults = forms::session::defaults_of(&form, &ctx, s.now);
    forms::session::refresh(&mut form, &ctx, s.now, s.now.time());
    let purpose = Purpose::NewSession {
        series_id: st.series.id,
        ctx,
    };
    open_form(s, form, purpose)
}

/// The session selected on the client screen; with a client open but no
/// session, the status line says so.
fn selected_session(s: &mut State) -> Option<Session> {
    s.detail.as_ref()?;
    let x = s.current_session().cloned();
    if x.is_none() {
        info(s, "No session selected");
    }
    x
}

pub(super) fn edit_session(s: &mut State) -> Vec<Effect> {
    let Some(x) = selected_session(s) else {
        return Vec::new();
    };
    let Some(tree) = s.detail.as_ref() else {
        return Vec::new();
    };
    let Some(ctx) = session_context(tree, s.series_idx, Some(x.id), s.settings.rules()) else {
        return Vec::new();
    };
    let form = forms::session::edit_form(&tree.client.data.name, &ctx, &x.data, s.now);
    open_form(
        s,
        form,
        Purpose::EditSession {
            id: x.id,
            ctx,
            base: x.data,
        },
    )
}

pub(super) fn followup(s: &mut State) -> Vec<Effect> {
    let Some(x) = selected_session(s) else {
        return Vec::new();
    };
    let Some(tree) = s.detail.as_ref() else {
        return Vec::new();
    };
    let title = format!(
        "{}, session of {}",
        tree.client.data.name,
        x.data.performed_at.format(crate::domain::DATE)
    );
    let prolonged_after = s.rules.prolonged_erythema_days;
    let form = forms::followup::form(&title, &x.data.followup, s.today(), prolonged_after);
    let purpose = Purpose::Followup {
        session_id: x.id,
        session_day: x.data.performed_at.date(),
        previous: x.data.followup.clone(),
        prolonged_after,
    };
    open_form(s, form, purpose)
}

/// Opens the form a draft was typed into, rebuilt from the records as they
/// are now, and puts the typed values back.
pub(super) fn resume(s: &mut State, draft: &crate::app::drafts::Draft) -> Vec<Effect> {
    use crate::app::drafts::Target;
    let find_session = |s: &State, session_id: i64| -> Option<(usize, usize)> {
        s.detail
            .as_ref()?
            .series
            .iter()
            .enumerate()
            .find_map(|(i, t)| {
                t.sessions
                    .iter()
                    .position(|x| x.id == session_id)
                    .map(|j| (i, j))
            })
    };
    let mut effects = Vec::new();
    let found = match draft.target {
        Target::AddClient => {
            effects = command(s, Command::AddClient);
            true
        }
        Target::EditClient { .. } => {
            effects = command(s, Command::EditClient);
            true
        }
        Target::NewSeries { .. } => {
            command(s, Command::NewSeries);
            true
        }
        Target::NewSession { series_id, .. } => {
            let pos = s
                .detail
                .as_ref()
                .and_then(|d| d.series.iter().position(|t| t.series.id == series_id));
            if let Some(i) = pos {
                s.series_idx = i;
                new_session(s);
            }
            pos.is_some()
        }
        Target::EditSession { session_id, .. } | Target::Followup { session_id, .. } => {
            match find_session(s, session_id) {
                Some((i, j)) => {
                    s.series_idx = i;
                    s.session_idx = j;
                    if matches!(draft.target, Target::Followup { .. }) {
                        followup(s);
                    } else {
                        edit_session(s);
                    }
                    true
                }
                None => false,
            }
        }
    };
    let now = s.now;
    match s.form.as_mut() {
        Some(fs) if found => {
            crate::app::drafts::restore(&mut fs.form, draft);
            revalidate(fs, now);
            info(s, "Resumed the form kept from last time");
        }
        _ => error(
            s,
            "The record of the kept form is gone; the draft was discarded",
        ),
    }
    effects
}

/// `e` on the home screen, `E` on the client screen: the client's details.
pub(super) fn edit_client(s: &mut State) -> Vec<Effect> {
    let client = match s.screen {
        Screen::Clients => s
            .preview
            .as_ref()
            .map(|p| p.client.clone())
            .filter(|c| Some(c.id) == s.selected_row().map(|r| r.id)),
        _ => s.detail.as_ref().map(|d| d.client.clone()),
    };
    match client {
        Some(c) => {
            let purpose = Purpose::EditClient {
                id: c.id,
                previous: c.data.clone(),
            };
            open_form(s, forms::client::edit_form(&c.data), purpose)
        }
        None => Vec::new(),
    }
}

/// `S`: a new series for the client on screen.
pub(super) fn new_series(s: &mut State) -> Vec<Effect> {
    match &s.detail {
        Some(d) => {
            let form =
                forms::series::new_form(&d.client.data.name, s.today(), &s.settings.defaults);
            let purpose = Purpose::NewSeries {
                client_id: d.client.id,
            };
            open_form(s, form, purpose)
        }
        None => Vec::new(),
    }
}

/// `x`: the export dialog, for the client on screen or selected.
pub(super) fn open_export(s: &mut State) -> Vec<Effect> {
    let subject = match s.screen {
        Screen::Clients => s.selected_row().map(|r| (r.id, r.name.clone())),
        _ => s
            .detail
            .as_ref()
            .map(|d| (d.client.id, d.client.data.name.clone())),
    };
    let defaults = forms::export::Defaults {
        format: s.export_format,
        this_client: s.screen != Screen::Clients,
        home: s.home.clone(),
    };
    let form = forms::export::form(&subject, &defaults, &s.export_dir, s.today());
    let proposed = form.text(FieldKey::File).to_string();
    // Exporting reads only: allowed on a read-only database too.
    let mut fs = FormState {
        form,
        purpose: Purpose::Export {
            subject,
            proposed,
            home: defaults.home,
        },
        default_time: s.now.time(),
        return_to: s.screen,
        save_armed: false,
        namesakes: Vec::new(),
    };
    revalidate(&mut fs, s.now);
    s.form = Some(fs);
    s.status = None;
    Vec::new()
}
