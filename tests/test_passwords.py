from app.services.passwords import MIN_LENGTH, hash_password, password_problem, verify_password

PASSWORD = "a long enough passphrase"
STORED = hash_password(PASSWORD)  # hashed once: argon2id is slow on purpose


def test_hash_is_argon2id_and_salted():
    assert STORED.startswith("$argon2id$")
    assert PASSWORD not in STORED
    assert hash_password(PASSWORD) != STORED


def test_verify_accepts_the_right_password():
    assert verify_password(STORED, PASSWORD) is True


def test_verify_refuses_a_wrong_password():
    assert verify_password(STORED, PASSWORD + "!") is False


def test_verify_against_no_hash_is_false():
    """An unknown user has no hash: never a match, whatever the password."""
    assert verify_password(None, PASSWORD) is False
    assert verify_password(None, "wingwatch-no-such-user") is False  # the dummy hash's own secret


def test_verify_against_a_broken_hash_is_false():
    assert verify_password("not-a-hash", PASSWORD) is False


def test_password_problem_refuses_short_passwords():
    assert password_problem("x" * (MIN_LENGTH - 1)) is not None
    assert password_problem("") is not None


def test_password_problem_accepts_long_enough_passwords():
    assert password_problem("x" * MIN_LENGTH) is None
