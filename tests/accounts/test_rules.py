"""The pure rules of the accounts domain, as tables of cases."""

import pytest

from leasing.accounts import passwords, rules
from leasing.accounts.rules import Problem


@pytest.mark.parametrize(
    ("raw", "required", "expected"),
    [
        ("2077474-0", True, ("2077474-0", None)),
        ("20774740", True, ("2077474-0", None)),
        ("FI20774740", True, ("2077474-0", None)),
        (" 0737546-2 ", False, ("0737546-2", None)),
        ("1572860-0", False, ("1572860-0", None)),
        ("2077474-1", True, (None, Problem.BUSINESS_ID_INVALID)),
        ("2077474-1", False, (None, Problem.BUSINESS_ID_INVALID)),
        ("207747-0", True, (None, Problem.BUSINESS_ID_INVALID)),
        ("abcdefg-h", True, (None, Problem.BUSINESS_ID_INVALID)),
        ("", True, (None, Problem.BUSINESS_ID_REQUIRED)),
        ("   ", True, (None, Problem.BUSINESS_ID_REQUIRED)),
        (None, False, (None, None)),
        ("", False, (None, None)),
    ],
)
def test_business_id_is_checksum_validated_and_normalised(raw, required, expected):
    assert rules.normalize_business_id(raw, required=required) == expected


def _never_common(password):
    return False


@pytest.mark.parametrize(
    ("password", "email", "expected"),
    [
        ("oikein-hyva-salasana-2026", "aino@example.fi", None),
        ("a" * 12, "aino@example.fi", None),  # no composition rules
        ("kolme sanaa ja välilyönnit", "aino@example.fi", None),  # spaces and non-ASCII are fine
        ("x" * 256, "aino@example.fi", None),
        ("x" * 11, "aino@example.fi", Problem.PASSWORD_TOO_SHORT),
        ("", "aino@example.fi", Problem.PASSWORD_TOO_SHORT),
        ("x" * 257, "aino@example.fi", Problem.PASSWORD_TOO_LONG),
        ("aino.virtanen@example.fi", "aino.virtanen@example.fi", Problem.PASSWORD_LIKE_EMAIL),
        ("AINO.VIRTANEN@example.fi", "aino.virtanen@example.fi", Problem.PASSWORD_LIKE_EMAIL),
        ("minun-aino.virtanen-123", "aino.virtanen@example.fi", Problem.PASSWORD_LIKE_EMAIL),
        ("ainoainoaino", "aino@example.fi", Problem.PASSWORD_LIKE_EMAIL),
        ("saippuakauppias", "ai@example.fi", None),  # a very short local part is not searched for
        ("saippuakauppias", None, None),
    ],
)
def test_password_policy(password, email, expected):
    assert rules.password_problem(password, email, _never_common) == expected


@pytest.mark.parametrize("password", ["q1w2e3r4t5y6", "1qaz2wsx3edc", "Q1W2E3R4T5Y6", "password1234"])
def test_common_passwords_from_the_bundled_list_are_refused(password):
    assert rules.password_problem(password, "aino@example.fi", passwords.is_common) == Problem.PASSWORD_COMMON


def test_the_bundled_common_password_list_is_present():
    assert passwords.COMMON_PASSWORDS_FILE.exists()
    assert passwords.is_common("q1w2e3r4t5y6")
    assert not passwords.is_common("oikein-hyva-salasana-2026")


@pytest.mark.parametrize(
    ("roles", "membership_id", "new_role", "can_sign", "expected"),
    [
        ({1: "admin", 2: "member"}, 2, "admin", True, None),
        ({1: "admin", 2: "member"}, 1, "member", False, Problem.LAST_ADMIN),
        ({1: "admin", 2: "admin"}, 1, "member", False, None),
        ({1: "admin", 2: "member"}, 1, None, False, Problem.LAST_ADMIN),  # removal
        ({1: "admin", 2: "admin"}, 2, None, False, None),
        ({1: "admin", 2: "member"}, 2, "member", True, Problem.SIGNER_NOT_ADMIN),
        ({1: "admin", 2: "member"}, 1, "admin", False, None),
    ],
)
def test_membership_rules_keep_an_admin_and_only_admins_sign(roles, membership_id, new_role, can_sign, expected):
    assert rules.membership_problem(roles, membership_id, new_role, can_sign) == expected


@pytest.mark.parametrize(("raw", "expected"), [(" Aino@Example.FI ", "aino@example.fi"), (None, ""), ("", "")])
def test_email_is_stored_trimmed_and_lower_cased(raw, expected):
    assert rules.normalize_email(raw) == expected
