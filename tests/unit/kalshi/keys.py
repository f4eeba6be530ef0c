"""Throwaway RSA keys for tests (generated per session; never committed)."""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@functools.cache
def private_key(n: int = 0) -> rsa.RSAPrivateKey:
    """The ``n``-th test key (cached: RSA generation is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pkcs1_pem(key: rsa.RSAPrivateKey) -> bytes:
    """``-----BEGIN RSA PRIVATE KEY-----``."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )


def pkcs8_pem(key: rsa.RSAPrivateKey) -> bytes:
    """``-----BEGIN PRIVATE KEY-----``."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    """``-----BEGIN PUBLIC KEY-----``."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
