"""The password policy (issue 9): two profiles of validators, one rule a row; the 90-day
change of the 等保 profile, counted from `password_changed_at`."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import (
    get_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pinzhi.accounts.models import User
from pinzhi.accounts.passwords import PROFILES, character_classes
from pinzhi.core.models import Event
from tests.factories import PASSWORD

from .conftest import HOME, sign_in, signed_in

CHANGE = reverse("password_change")


def refusals(profile: str, password: str, username: str = "officer") -> set[str]:
    validators = get_password_validators(PROFILES[profile]["validators"])
    try:
        validate_password(password, User(username=username), validators)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize("profile, password, codes", [
    # 等保: at least 8 characters
    ("dengbao", "Ab1!xyz", {"password_too_short"}),
    ("dengbao", "Ab1!wxyz", set()),
    # ... of at least 3 of the 4 classes
    ("dengbao", "abcdefgh12", {"password_too_simple"}),
    ("dengbao", "ABCDEFGH!!", {"password_too_simple"}),
    ("dengbao", "Abcdefgh12", set()),
    ("dengbao", "abcdefg-12", set()),
    ("dengbao", "pinzhi-demo", {"password_too_simple"}),  # the demo's: set, never validated
    ("dengbao", "品质管理abc123", set()),  # CJK characters count as symbols
    # ... not containing the user name, in any case or reversed
    ("dengbao", "Officer-2026", {"password_contains_username"}),
    ("dengbao", "reciffo-2026", {"password_contains_username"}),
    # ... at most 128 characters
    ("dengbao", "Aa1!" * 32, set()),
    ("dengbao", "Aa1!" * 32 + "x", {"password_too_long"}),
    # ASVS: at least 12 characters, no composition rule
    ("asvs", "Abcdefg1!xy", {"password_too_short"}),
    ("asvs", "correct horse battery", set()),
    ("asvs", "abcdefghijklmnop", set()),
    # ... not a common password
    ("asvs", "123456123456", {"password_too_common"}),
    # ... at most 128
    ("asvs", "x" * 129, {"password_too_long"}),
    # ... and no username rule (ASVS names none)
    ("asvs", "officer-officer", set()),
])
def test_each_rule_of_each_profile(profile, password, codes):
    assert refusals(profile, password) == codes


def test_character_classes():
    assert character_classes("aB3$") == {"upper", "lower", "digit", "symbol"}
    assert character_classes("abc 中") == {"lower", "symbol"}


def test_the_profiles_periodic_change():
    assert PROFILES["dengbao"]["max_age_days"] == 90 and PROFILES["asvs"]["max_age_days"] == 0


def test_the_default_profile_is_dengbao(settings):
    assert settings.PINZHI_PASSWORD_PROFILE == "dengbao"
    assert settings.AUTH_PASSWORD_VALIDATORS == PROFILES["dengbao"]["validators"]
    assert settings.PINZHI_PASSWORD_MAX_AGE_DAYS == 90


# -- when the password was changed -------------------------------------------------------

@pytest.mark.django_db
def test_password_changed_at_follows_every_change_of_password(company, travel):
    travel("2026-06-01T09:00")
    user = User.objects.get(username="officer")
    travel("2026-07-01T09:00")
    user.set_password("Another-pass-1")
    user.save()
    assert user.password_changed_at == timezone.now()
    user.refresh_from_db()
    assert user.password_changed_at == timezone.now()
    travel("2026-08-01T09:00")
    # as the demo sets its users' passwords: a hash given to update_or_create
    User.objects.update_or_create(username="officer", defaults={"password": "md5$x$y"})
    user.refresh_from_db()
    assert user.password_changed_at == timezone.now()
    travel("2026-09-01T09:00")
    user.first_name = "Wei"
    user.save()
    # Django re-hashing the same password at sign-in saves the hash alone: no change
    user.password = "md5$x$z"
    user.save(update_fields=["password"])
    user.refresh_from_db()
    assert user.password_changed_at == timezone.make_aware(dt.datetime(2026, 8, 1, 9))


def _aged(days: int, travel) -> User:
    travel("2026-02-01T09:00")
    user = User.objects.get(username="officer")
    user.set_password(PASSWORD)
    user.save()
    travel((dt.datetime(2026, 2, 1, 9) + dt.timedelta(days=days)).isoformat(timespec="minutes"))
    return user


@pytest.mark.django_db
def test_a_password_older_than_90_days_must_be_changed_after_sign_in(client, company,
                                                                     travel):
    user = _aged(91, travel)
    assert sign_in(client, "officer").status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(CHANGE)
    page = client.get(CHANGE).content.decode()
    assert 'id="password-expired"' in page
    expired = Event.objects.get(action="auth.password_expired")
    assert expired.actor == user
    # the new one is checked by the profile's rules
    weak = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "abcdefgh",
                                "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and not signed_in(client)
    new = "Tianhe-2026!"
    done = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new,
                                "new_password2": new})
    assert done.status_code == 302 and signed_in(client)
    user.refresh_from_db()
    assert user.check_password(new) and user.password_changed_at == timezone.now()
    assert Event.objects.filter(action="auth.password_changed", actor=user).exists()


@pytest.mark.django_db
def test_a_password_of_89_days_is_not_asked_for(client, company, travel):
    _aged(89, travel)
    sign_in(client, "officer")
    assert signed_in(client)
    assert not Event.objects.filter(action="auth.password_expired").exists()


@pytest.mark.django_db
def test_the_asvs_profile_never_expires_a_password(client, company, travel, settings):
    settings.PINZHI_PASSWORD_MAX_AGE_DAYS = PROFILES["asvs"]["max_age_days"]
    _aged(400, travel)
    sign_in(client, "officer")
    assert signed_in(client)


@pytest.mark.django_db
def test_the_asvs_profile_checks_new_passwords_by_its_rules(client, company, settings):
    settings.AUTH_PASSWORD_VALIDATORS = PROFILES["asvs"]["validators"]
    client.force_login(company.users.officer)
    short = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "Ab1!wxyzAb1",
                                 "new_password2": "Ab1!wxyzAb1"})
    assert short.status_code == 200 and 'is-invalid' in short.content.decode()
    fine = "correct horse battery"
    assert client.post(CHANGE, {"old_password": PASSWORD, "new_password1": fine,
                                "new_password2": fine}).status_code == 302


@pytest.mark.django_db
def test_a_user_signed_in_changes_his_password_at_will(client, company):
    client.force_login(company.users.agent)
    assert client.get(CHANGE).status_code == 200
    assert 'id="password-expired"' not in client.get(CHANGE).content.decode()
