"""encryption.py: keys, encrypting, decrypting and rotating; no database."""

from cryptography.fernet import Fernet

from odoo.tests import BaseCase

from ..encryption import (
    CONFIG_KEY,
    ENV_KEY,
    SecretKeyError,
    configured_key,
    decrypt,
    encrypt,
    new_key,
    parse_key,
    rotate,
)

URL = "https://calendar.example.com/private-7f3a9c/basic.ics"


class TestEncryption(BaseCase):
    def test_round_trip_and_ciphertext(self):
        key = new_key()
        token = encrypt(key, URL)
        self.assertNotIn("7f3a9c", token)
        self.assertNotIn("calendar", token)
        self.assertEqual(decrypt(key, token), URL)
        self.assertNotEqual(encrypt(key, URL), token, "a fresh nonce each time")

    def test_key_from_config_then_environment(self):
        self.assertEqual(configured_key({CONFIG_KEY: " abc "}, {ENV_KEY: "x"}), "abc")
        self.assertEqual(configured_key({}, {ENV_KEY: "env"}), "env")
        self.assertIsNone(configured_key({CONFIG_KEY: False}, {}))

    def test_missing_key(self):
        for value in (None, ""):
            with self.assertRaises(SecretKeyError) as caught:
                encrypt(value, URL)
            self.assertEqual(caught.exception.kind, "missing")
            self.assertIn(CONFIG_KEY, str(caught.exception))

    def test_key_of_wrong_length_or_format(self):
        good = new_key()
        for bad in (
            "too-short",
            good[:-4],
            good + "AAAA",
            "é" * 44,
            "!" * 44,
            Fernet.generate_key().decode().replace("=", "") + "?",
        ):
            with self.subTest(bad=bad), self.assertRaises(SecretKeyError) as caught:
                parse_key(bad)
            self.assertEqual(caught.exception.kind, "format")
            self.assertIn("44 characters", str(caught.exception))

    def test_wrong_key_and_altered_token(self):
        token = encrypt(new_key(), URL)
        with self.assertRaises(SecretKeyError) as caught:
            decrypt(new_key(), token)
        self.assertEqual(caught.exception.kind, "wrong_key")
        key = new_key()
        token = encrypt(key, URL)
        middle = len(token) // 2
        altered = token[:middle] + ("A" if token[middle] != "A" else "B")
        with self.assertRaises(SecretKeyError):
            decrypt(key, altered + token[middle + 1 :])

    def test_rotation(self):
        old, new = new_key(), new_key()
        tokens = {1: encrypt(old, URL), 2: encrypt(old, "api-key-42")}
        rotated = rotate(old, new, tokens)
        self.assertEqual(
            {i: decrypt(new, t) for i, t in rotated.items()}, {1: URL, 2: "api-key-42"}
        )

    def test_rotation_with_wrong_old_key_returns_nothing(self):
        old, new = new_key(), new_key()
        tokens = {1: encrypt(old, URL), 2: encrypt(new_key(), "other")}
        with self.assertRaises(SecretKeyError) as caught:
            rotate(old, new, tokens)
        self.assertIn("Nothing was re-encrypted", str(caught.exception))
        with self.assertRaises(SecretKeyError) as caught:
            rotate(old, "bad", tokens)
        self.assertEqual(caught.exception.kind, "format")
