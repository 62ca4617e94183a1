"""Near-duplicate detection: MinHash over word 3-shingles, with LSH bands for the lookup.

Syndicated copies (a Yonhap wire story republished by other outlets, a press release reprinted)
share most of their shingles. A 64-value MinHash signature estimates the Jaccard similarity of
two bodies; 16 bands of 4 values make candidates cheap to find (two bodies with similarity 0.7
share a band with probability ~0.99, with 0.3 only ~0.12), and candidates are then checked.
SimHash was tried first: on wire-length bodies a one-word edit moved it past any safe threshold."""
from __future__ import annotations

import hashlib
import re

import numpy as np

PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.7           # estimated Jaccard similarity that makes two bodies copies of one story
MIN_WORDS = 50            # shorter bodies match too easily to cluster safely
# Candidates checked per band: the earliest-indexed articles of each of the 16 bands, so a write
# costs the same with 10,000 or 1,000,000 articles indexed (a story's first copies come first; a
# true copy shares ~4 bands with its original, so it is found unless every one of those bands
# already holds this many earlier articles).
BAND_CANDIDATES = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_rng = np.random.default_rng(20240902)          # fixed: signatures must be stable across runs
_SEEDS = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64)
_MULTS = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_SHINGLE_MULTS = _rng.integers(1, 2**63, 2, dtype=np.uint64) | np.uint64(1)


def signature(text: str) -> np.ndarray | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    # Each distinct word is hashed once; a shingle's hash combines its three words' hashes.
    vocabulary = {w: int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big") for w in set(words)}
    w = np.fromiter((vocabulary[x] for x in words), dtype=np.uint64, count=len(words))
    with np.errstate(over="ignore"):             # uint64 arithmetic wraps on purpose
        hashed = np.unique((w[:-2] * _SHINGLE_MULTS[0]) ^ (w[1:-1] * _SHINGLE_MULTS[1]) ^ w[2:])
        mixed = (hashed[:, None] ^ _SEEDS[None, :]) * _MULTS[None, :]
        mixed ^= mixed >> np.uint64(29)
    return mixed.min(axis=0)


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per band, e.g. '3:9f2c…', usable as a keyword term in any backend."""
    raw, width = sig.tobytes(), ROWS * sig.itemsize      # sliced as bytes: a third faster than as arrays
    return [f"{b}:{hashlib.blake2b(raw[b * width:(b + 1) * width], digest_size=8).hexdigest()}"
            for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def to_hex(sig: np.ndarray | None) -> str | None:
    return None if sig is None else sig.astype(">u8").tobytes().hex()


def from_hex(value: str | None) -> np.ndarray | None:
    return None if not value else np.frombuffer(bytes.fromhex(value), dtype=">u8").astype(np.uint64)


def fingerprint(text: str) -> str | None:
    """The signature as stored (hex): what the crawl's workers compute for the index writer."""
    return to_hex(signature(text))


def signature_of(fingerprint_hex: str | None, text: str) -> np.ndarray | None:
    """An article's signature: the one its worker computed, else computed now."""
    return from_hex(fingerprint_hex) if fingerprint_hex else signature(text)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype(">u8").tobytes()


def similar(sig: np.ndarray, others: list[bytes | None]) -> list[int]:
    """Indexes of the stored signatures (to_bytes) that make `sig` a copy of the same story."""
    if None in others:            # listed without a signature (stored before they were kept)
        usable = [i for i, other in enumerate(others) if other is not None]
        return [usable[i] for i in similar(sig, [others[i] for i in usable])]
    if not others:
        return []
    # Equal values are equal bytes: the big-endian signatures are compared as stored, unconverted.
    stacked = np.frombuffer(b"".join(others), dtype=np.uint64).reshape(-1, PERMUTATIONS)
    same = (stacked == np.frombuffer(to_bytes(sig), dtype=np.uint64)).sum(axis=1)
    return np.flatnonzero(same >= THRESHOLD * PERMUTATIONS).tolist()
