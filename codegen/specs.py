"""Fetch Twilio's pinned OpenAPI specs into a git-ignored folder.

The lock file (``specs/twilio.lock.json``) names an npm package, its version, the
integrity hash of its tarball and the folder inside it that holds the specs. ``fetch``
runs ``npm pack``, checks the hash, and unpacks the matching files into
``specs/.upstream/<package-version>/``. Unpacking goes to a temporary folder that is
renamed into place only when every file is written, so a failure leaves nothing
half-unpacked. A folder that is already there and matches its own manifest is kept as is.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "DEFAULT_LOCK",
    "UPSTREAM_DIR",
    "SpecFetchError",
    "SpecLock",
    "fetch",
    "load_lock",
    "spec_dir",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = REPO_ROOT / "specs" / "twilio.lock.json"
UPSTREAM_DIR = REPO_ROOT / "specs" / ".upstream"
_MANIFEST = ".manifest.json"


class SpecFetchError(Exception):
    """The spec package could not be fetched, verified or unpacked."""


@attrs.frozen
class SpecLock:
    """One pinned spec package, as the lock file names it."""

    package: str
    version: str
    integrity: str | None
    folder: str
    files: str

    @property
    def slug(self) -> str:
        """A folder name for this package and version (``twilio-cli-core-8.3.2``)."""
        name = self.package.lstrip("@").replace("/", "-")
        return f"{name}-{self.version}"


def load_lock(path: Path = DEFAULT_LOCK) -> SpecLock:
    """Read a lock file.

    Raises:
        SpecFetchError: the file is missing or lacks a required key.
    """
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecFetchError(f"{path}: cannot read the spec lock file: {exc}") from exc
    missing = [k for k in ("package", "version", "folder", "files") if k not in data]
    if missing:
        raise SpecFetchError(f"{path}: lock file lacks {', '.join(missing)}")
    return SpecLock(
        package=str(data["package"]),
        version=str(data["version"]),
        integrity=data.get("integrity"),
        folder=str(data["folder"]).strip("/"),
        files=str(data["files"]),
    )


def spec_dir(lock: SpecLock, root: Path = UPSTREAM_DIR) -> Path:
    """The folder the specs of ``lock`` are (or will be) unpacked into."""
    return root / lock.slug


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _unpacked_integrity(target: Path, lock: SpecLock) -> str | None:
    """The integrity of the tarball ``target`` was unpacked from, if it is whole and matches.

    A lock that pins no hash (a version fetched with ``--version``) is matched on package
    and version, so fetching the same unpinned version again is a no-op.
    """
    manifest_path = target / _MANIFEST
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    integrity = manifest.get("integrity")
    if not isinstance(integrity, str) or not manifest.get("files"):
        return None
    if lock.integrity is not None and integrity != lock.integrity:
        return None
    if (manifest.get("package"), manifest.get("version")) != (lock.package, lock.version):
        return None
    for name, digest in manifest["files"].items():
        path = target / name
        if not path.is_file() or _sha256(path) != digest:
            return None
    return integrity


def _npm_pack(lock: SpecLock, workdir: Path) -> Path:
    spec = f"{lock.package}@{lock.version}"
    try:
        proc = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SpecFetchError("npm is not installed; it is needed to fetch the specs") from exc
    if proc.returncode != 0:
        raise SpecFetchError(f"npm pack {spec} failed: {proc.stderr.strip()[:2000]}")
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise SpecFetchError(f"npm pack {spec} wrote {len(tarballs)} tarballs, expected one")
    return tarballs[0]


def fetch(
    lock: SpecLock,
    *,
    root: Path = UPSTREAM_DIR,
    verify_integrity: bool = True,
    log: Any = print,
) -> tuple[Path, str]:
    """Make sure the specs of ``lock`` are unpacked and valid; return their folder and integrity.

    Args:
        lock: which package and version to fetch.
        root: the folder under which each version gets a folder of its own.
        verify_integrity: check the tarball against ``lock.integrity`` (off only when
            fetching a version the lock does not pin yet).
        log: where progress lines go.

    Raises:
        SpecFetchError: npm failed, the hash does not match, or no spec file was found.
    """
    target = spec_dir(lock, root)
    unpacked = _unpacked_integrity(target, lock)
    if unpacked is not None:
        how = "verified" if lock.integrity else "files match their manifest"
        log(f"specs: {lock.package}@{lock.version} already in {target} ({how})")
        return target, unpacked
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".fetch-") as tmp:
        tmpdir = Path(tmp)
        tarball = _npm_pack(lock, tmpdir)
        data = tarball.read_bytes()
        actual = _integrity(data)
        if verify_integrity and actual != lock.integrity:
            raise SpecFetchError(
                f"{lock.package}@{lock.version}: integrity mismatch: lock file says "
                f"{lock.integrity}, the package is {actual}; nothing was unpacked"
            )
        staging = tmpdir / "unpacked"
        staging.mkdir()
        # An empty folder means the package's own top level.
        prefix = f"package/{lock.folder}/" if lock.folder else "package/"
        digests: dict[str, str] = {}
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile() or not member.name.startswith(prefix):
                    continue
                name = member.name[len(prefix) :]
                if "/" in name or not fnmatch.fnmatch(name, lock.files):
                    continue
                source = tar.extractfile(member)
                if source is None:
                    continue
                content = source.read()
                (staging / name).write_bytes(content)
                digests[name] = hashlib.sha256(content).hexdigest()
        if not digests:
            raise SpecFetchError(
                f"{lock.package}@{lock.version}: no file matches {lock.folder}/{lock.files}"
            )
        manifest = {
            "package": lock.package,
            "version": lock.version,
            "integrity": actual,
            "files": dict(sorted(digests.items())),
        }
        (staging / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    log(f"specs: unpacked {len(digests)} files of {lock.package}@{lock.version} into {target}")
    return target, actual
