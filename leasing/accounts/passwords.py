"""Password hashing (argon2id) and the password policy: length and common passwords, no composition rules."""

import gzip
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

from leasing.accounts import rules

MIN_LENGTH = rules.MIN_PASSWORD_LENGTH
MAX_LENGTH = rules.MAX_PASSWORD_LENGTH
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"


def _hasher():
    """argon2id with the library's defaults; tests may lower the cost via PASSWORD_HASH_* settings."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("PASSWORD_HASH_TIME_COST", 3),
        memory_cost=config.get("PASSWORD_HASH_MEMORY_COST", 65536),
        parallelism=config.get("PASSWORD_HASH_PARALLELISM", 4),
    )


def hash_password(password):
    """The argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash, password):
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """True when the hash was made with other parameters than today's (upgrade it at log-in)."""
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _common_passwords():
    if not COMMON_PASSWORDS_FILE.exists():
        return frozenset()
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def is_common(password):
    """True when ``password`` is on the list of commonly used passwords."""
    return password.strip().lower() in _common_passwords()


def policy_problem(password, email=None):
    """The first way ``password`` breaks the policy for the account ``email`` (a rules.Problem), or None."""
    return rules.password_problem(password, email, is_common)
