"""Conflicts resolve: the re-shown form carries the saved version, shows theirs and yours."""

from datetime import date

import lxml.html
import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, fresh
from tests.html_forms import rendered_form
from tracker.models import Measure, Meeting, Recommendation, Source, User


def _signed_in(app, user):
    client = app.test_client()
    client.submit("/login", {"email": user.email, "password": PASSWORD})
    client.token = None
    return client


def _edit_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return rendered_form(response.get_data(as_text=True), url).data()


CASES = {
    "measure": (Measure, "/measures/{}/edit", "description", "goal"),
    "recommendation": (Recommendation, "/recommendations/{}/edit", "text", "theme"),
    "source": (Source, "/sources/{}/edit", "summary", "dnr"),
    "meeting": (Meeting, "/meetings/{}/edit", "title", None),
}


def _row(make, kind):
    if kind == "measure":
        return make.measure(title="Införa webbtidbok", goal="Ökad tillgänglighet")
    if kind == "recommendation":
        return make.recommendation(theme="Digitalisering")
    if kind == "source":
        return make.source(dnr="00521-2019")
    return make._save(Meeting(body_id=make.body().id, held_on=date(2030, 3, 1)))


@pytest.mark.parametrize("kind", CASES)
def test_second_editor_resolves_a_conflict_by_sending_the_re_shown_form(kind, make, app, session):
    model, pattern, text_field, other_field = CASES[kind]
    row = _row(make, kind)
    url = pattern.format(row.id)
    first = _signed_in(app, make.user("secretary"))
    second = _signed_in(app, make.user("secretary"))
    first_form, second_form = _edit_form(first, url), _edit_form(second, url)

    first_form[text_field] = "Första redaktörens text"
    assert first.post(url, data=first_form).status_code == 302

    second_form[text_field] = "Andra redaktörens text"
    if other_field:
        second_form[other_field] = "Andras ändring"
    response = second.post(url, data=second_form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in page
    assert "Första redaktörens text" in page and "Andra redaktörens text" in page
    if other_field:
        assert "Andras ändring" in page  # every differing field is shown, theirs and yours
    resent = rendered_form(page, url).data()
    assert resent[text_field] == "Andra redaktörens text"  # the typed text is kept

    # Sending the re-shown form as it is: a deliberate overwrite that saves.
    again = second.post(url, data=resent)
    assert again.status_code == 302, again.get_data(as_text=True)[:2000]
    assert getattr(fresh(session).get(model, row.id), text_field) == "Andra redaktörens text"


def test_conflict_box_lists_the_goal_as_theirs_and_yours(make, app):
    measure = make.measure(title="Införa webbtidbok", goal="Ökad tillgänglighet")
    url = f"/measures/{measure.id}/edit"
    first = _signed_in(app, make.user("secretary"))
    second = _signed_in(app, make.user("secretary"))
    first_form, second_form = _edit_form(first, url), _edit_form(second, url)
    first_form["goal"] = "Kortare väntetider"
    assert first.post(url, data=first_form).status_code == 302
    second_form["goal"] = "Nöjdare patienter"
    page = second.post(url, data=second_form).get_data(as_text=True)
    rows = {
        tr.findtext("th"): [td.text_content() for td in tr.findall("td")]
        for tr in lxml.html.fromstring(page).xpath("//*[@id='conflict']//tbody/tr")
    }
    assert rows == {"Goal it serves": ["Kortare väntetider", "Nöjdare patienter"]}


def test_a_status_update_does_not_revert_a_status_changed_since_the_form_was_opened(
    make, app, session
):
    owner = make.user("owner")
    measure = make.measure(owner_id=owner.id, status="ongoing")
    url = f"/measures/{measure.id}/update"
    owner_client = _signed_in(app, owner)
    secretary = _signed_in(app, make.user("secretary"))
    opened = rendered_form(owner_client.get(url).get_data(as_text=True), url).data()

    done = rendered_form(secretary.get(url).get_data(as_text=True), url).data()
    done.update(text="Klart enligt beslut", status="done")
    assert secretary.post(url, data=done).status_code == 302

    opened["text"] = "Vi har utbildat personalen"
    response = owner_client.post(url, data=opened)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone set the status to “Done” after you opened this form" in page
    assert 'id="status-error"' in page
    assert fresh(session).get(Measure, measure.id).status == "done"
    resent = rendered_form(page, url).data()
    assert resent["text"] == "Vi har utbildat personalen"

    # Posting the re-shown form is a deliberate choice of the status it names.
    assert owner_client.post(url, data=resent).status_code == 302
    assert fresh(session).get(Measure, measure.id).status == "ongoing"


def test_the_error_page_renders_after_a_failed_flush(make, login, app):
    from tracker.db import get_session
    from tracker.models import User

    @app.post("/test-failing-flush")
    def failing_flush():
        session = get_session()
        user = session.exec(select(User)).first()
        session.add(User(email=user.email, name="Dubblett"))
        session.flush()  # a unique e-mail twice: the session needs a rollback now

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = login(make.user("secretary", name="Sekreterare Svensson"))
    response = client.submit("/test-failing-flush")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "Sekreterare Svensson" in page  # the page still knows who is signed in


def test_an_owner_links_only_their_recommendations_and_hands_over_only_to_posters(
    make, app, session
):
    owner = make.user("owner")
    viewer = make.user("viewer", name="Vera Visare")
    make.user("owner", name="Kalle Kollega")
    mine = make.recommendation(text="Min rekommendation", responsible_id=owner.id)
    other = make.recommendation(text="Någon annans rekommendation")
    measure = make.measure(owner_id=owner.id)
    client = _signed_in(app, owner)
    url = f"/measures/{measure.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Min rekommendation" in page and "Någon annans rekommendation" not in page
    # The owner is a text box holding the current owner's name, not a select of every user.
    assert f'value="{owner.name}"' in page and "Kalle Kollega" not in page
    form = rendered_form(page, url).data()

    response = client.post(url, data=form | {"recommendations": [str(mine.id), str(other.id)]})
    assert response.status_code == 400
    for typed in (str(viewer.id), "Vera"):
        # A viewer cannot post status updates: not found, the text kept next to the message.
        response = client.post(url, data=form | {"owner_id": typed})
        assert response.status_code == 400
        refused = response.get_data(as_text=True)
        assert 'id="owner_id-error"' in refused and f"Nothing matches “{typed}”" in refused
        assert f'value="{typed}"' in refused

    saved = client.post(url, data=form | {"recommendations": [str(mine.id)]})
    assert saved.status_code == 302
    assert fresh(session).get(Measure, measure.id).owner_id == owner.id
    # Part of a poster's name hands the measure over.
    handed = client.post(
        url,
        data=rendered_form(client.get(url).get_data(as_text=True), url).data()
        | {"owner_id": "kollega"},
    )
    assert handed.status_code == 302
    kalle = session.exec(select(User).where(User.name == "Kalle Kollega")).one()
    assert fresh(session).get(Measure, measure.id).owner_id == kalle.id
