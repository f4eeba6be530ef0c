"""Throwaway venue credentials for a replay: a Kalshi API key (the simulator verifies its signatures like Kalshi
would) and a Polymarket wallet key (L1/L2 auth and signed orders against the simulator)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from eth_account import Account


@dataclass(frozen=True, slots=True)
class ApiKey:
    """Key id and the files of its private key (0600) and public key."""

    key_id: str
    private_key_path: Path
    public_key_path: Path


def make_api_key(directory: Path) -> ApiKey:
    """Generate an RSA-2048 key pair under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = directory / "kalshi-replay.key"
    public = directory / "kalshi-replay.pub"
    private.touch(mode=0o600)
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return ApiKey(str(uuid.uuid4()), private, public)


@dataclass(frozen=True, slots=True)
class WalletKey:
    """A throwaway Polymarket wallet: its address and the file of its private key (0600)."""

    address: str
    private_key_path: Path

    def private_key(self) -> str:
        """The hex private key (for the execution service's environment only; never logged)."""
        return self.private_key_path.read_text().strip()


def make_wallet_key(directory: Path) -> WalletKey:
    """Generate a Polymarket (EOA) signing key under ``directory``; the simulator funds its address."""
    directory.mkdir(parents=True, exist_ok=True)
    account = Account.create()
    private = directory / "polymarket-replay.key"
    private.touch(mode=0o600)
    private.chmod(0o600)
    private.write_text("0x" + account.key.hex().removeprefix("0x") + "\n")
    return WalletKey(str(account.address), private)
