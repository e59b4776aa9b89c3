"""Encryption at rest of backup archives: AES-256-GCM over 1 MiB chunks, streamed (constant memory).

File layout: MAGIC, a random salt (16 bytes) and nonce prefix (7 bytes), then chunks, each a 4-byte big-endian length
followed by the ciphertext and its tag. A chunk's nonce is the prefix, its index (4 bytes) and a last-chunk flag, and
the header is authenticated with every chunk: a chunk cannot be reordered, dropped or the file truncated unnoticed.
The key is derived from `CARREFOUR_BACKUP_KEY` (any passphrase) with scrypt and the file's salt.
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

MAGIC = b"CRFBAK1\n"
SALT_BYTES = 16
PREFIX_BYTES = 7
CHUNK = 1024 * 1024
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES


class BackupCryptoError(Exception):
    """The archive cannot be decrypted; the message is in French."""


def derive_key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def is_encrypted(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written goes to `raw` encrypted, chunk by chunk."""

    def __init__(self, raw, passphrase: str):
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._raw, self._prefix = raw, prefix
        self._header = MAGIC + salt + prefix
        self._aead = AESGCM(derive_key(passphrase, salt))
        self._buffer = bytearray()
        self._index = 0
        raw.write(self._header)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        """Writes the last chunk (possibly empty); does not close `raw`."""
        if self._aead is not None:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._aead = None

    def _emit(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), plain, self._header)
        self._raw.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1


class DecryptingReader:
    """A read-only file object over an encrypted file; a wrong key or an altered file raises BackupCryptoError."""

    def __init__(self, raw, passphrase: str):
        header = raw.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupCryptoError(_("Ce fichier n'est pas une sauvegarde chiffrée de Carrefour."))
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        self._raw, self._header, self._prefix = raw, header, header[-PREFIX_BYTES:]
        self._aead = AESGCM(derive_key(passphrase, salt))
        self._index, self._done = 0, False
        self._buffer = b""
        self._pending = self._read_sealed()

    def _read_sealed(self) -> bytes | None:
        size_bytes = self._raw.read(4)
        if not size_bytes:
            return None
        if len(size_bytes) != 4:
            raise BackupCryptoError(_("L'archive est tronquée ou altérée."))
        (size,) = struct.unpack(">I", size_bytes)
        if size < TAG_BYTES or size > CHUNK + TAG_BYTES:
            raise BackupCryptoError(_("L'archive est tronquée ou altérée."))
        sealed = self._raw.read(size)
        if len(sealed) != size:
            raise BackupCryptoError(_("L'archive est tronquée ou altérée."))
        return sealed

    def _next_chunk(self) -> bytes:
        if self._pending is None:
            raise BackupCryptoError(_("L'archive est tronquée ou altérée."))
        following = self._read_sealed()
        last = following is None
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._index, last), self._pending, self._header)
        except InvalidTag as exc:
            if self._index == 0:
                raise BackupCryptoError(
                    _(
                        "Impossible de déchiffrer la sauvegarde : la clé (CARREFOUR_BACKUP_KEY) est incorrecte "
                        "ou l'archive a été altérée."
                    )
                ) from exc
            raise BackupCryptoError(_("L'archive est tronquée ou altérée.")) from exc
        self._index += 1
        self._pending = following
        self._done = last
        return plain

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer += self._next_chunk()
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
