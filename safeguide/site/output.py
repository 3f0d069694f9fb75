"""Where a site is published: which folders may be the output, one build at a time, and an atomic swap.

Rules (README, "Where the site is written"):
- the output is never a folder the build reads, inside one, or holding one (the project, docs/,
  partnerships/ with every releases/, overrides/, hooks/, the safeguide program);
- an existing output is replaced only if safeguide published it (the MARKER file, or the layout of
  an output from before the marker existed);
- one build at a time per output: an exclusive `flock` on `.<out>.lock` beside it;
- the new site is built in `.<out>.staging-<hex>` and swapped in with one `renameat2(RENAME_EXCHANGE)`,
  so the output folder is always there and always complete; folders left by killed runs are
  recognised by their names and removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from safeguide.core.problems import Problem, SafeguideError, display_path

MARKER = ".safeguide-output"  # written into every published output: "safeguide may replace this folder"
MARKER_TEXT = "This folder was published by safeguide. Every build replaces it as a whole: keep no other files here.\n"
SITE_INFO = "partnership.json"  # per partnership: what the landing page shows; an output from before the marker has one each
PAUSE_BEFORE_SWAP = "SAFEGUIDE_TEST_PAUSE_BEFORE_SWAP"  # seconds; test-only, to kill a build in that moment
PAUSE_AFTER_SWAP = "SAFEGUIDE_TEST_PAUSE_AFTER_SWAP"

_FIX_ELSEWHERE = "Publish to a folder of its own: leave out --out to use site/ in the project, or give a new folder, for example --out ../published-site."


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM. `published`: the stop came while the new site was being swapped in, so it is out."""

    def __init__(self, signum: int, published: bool = False) -> None:
        super().__init__(signum)
        self.signum, self.published = signum, published

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM


# --- which folder may be the output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadFolder:
    path: Path  # resolved
    what: str  # for the user: what the folder holds


def read_folders(root: Path) -> list[ReadFolder]:
    """Every folder a build reads, resolved: the project, docs_dir, partnerships/ and each releases/ in it,
    theme.custom_dir, the hooks' folders, and the safeguide program when it lies in the project.

    Paths come from mkdocs.yml (relative to it, as MkDocs resolves them), with MkDocs' defaults when it
    cannot be read: the build then fails on its own, with its own message.
    """
    root = root.resolve()
    config = _mkdocs_yml(root / "mkdocs.yml")
    theme: dict[str, Any] = config["theme"] if isinstance(config.get("theme"), dict) else {}  # type: ignore[assignment]
    hooks: list[Any] = config["hooks"] if isinstance(config.get("hooks"), list) else []  # type: ignore[assignment]
    found = [
        ReadFolder(root, "mkdocs.yml, docs/, partnerships/ and every approved release"),
        ReadFolder((root / str(config.get("docs_dir") or "docs")).resolve(), "the national baseline guidance"),
        ReadFolder((root / "partnerships").resolve(), "the partnerships' settings, local pages and approved releases"),
        ReadFolder((root / str(theme.get("custom_dir") or "overrides")).resolve(), "the site's templates, styles and scripts"),
        ReadFolder((root / "hooks").resolve(), "the build's hooks"),
    ]
    hook_folders = {(root / h).resolve().parent for h in hooks if isinstance(h, str)} - {root}  # the root is there already
    found += [ReadFolder(folder, "the build's hooks") for folder in sorted(hook_folders)]
    found += [ReadFolder(r.resolve(), f"the approved releases of {r.parent.name}") for r in sorted((root / "partnerships").glob("*/releases"))]
    program = Path(__file__).resolve().parent.parent  # the package, not this subpackage
    if program.is_relative_to(root):
        found.append(ReadFolder(program, "the safeguide program itself"))
    return found


def custom_dir(root: Path) -> Path:
    """The site's theme.custom_dir (default overrides/), as mkdocs.yml gives it, resolved from the project."""
    theme = _mkdocs_yml(root / "mkdocs.yml").get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return (root / str(folder or "overrides")).resolve()


def _mkdocs_yml(path: Path) -> dict[str, object]:
    """mkdocs.yml as plain data; MkDocs' own tags (!ENV, !relative, python names) read as None."""

    class _Lenient(yaml.SafeLoader):
        pass

    _Lenient.add_multi_constructor("", lambda *_: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient)
    except (OSError, UnicodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def check_output(root: Path, out: Path) -> Path:
    """The output folder, resolved (symlinks and `..`), once it is safe to replace; raises SafeguideError otherwise.

    Refused: an existing file; a folder the build reads (read_folders), one inside it or one holding it;
    an existing folder with anything but a previous safeguide output in it. Nothing is written.
    """
    try:
        target = Path(os.path.abspath(out)).resolve()
    except (OSError, RuntimeError) as e:  # a symbolic link that loops
        raise SafeguideError(Problem(f"--out {out}", f"this folder cannot be found: {e}.", "Give a folder that exists or can be created.")) from None
    shown = display_path(target, root)
    where = f"--out {shown}"
    if target.exists() and not target.is_dir():
        raise SafeguideError(Problem(where, "this is a file, not a folder.", "Give a folder to publish to, for example --out site (or leave out --out)."))
    problem = _overlap(target, read_folders(root), root, where)
    if problem:
        raise SafeguideError(problem)
    published = next((p for p in target.parents if (p / MARKER).is_file()), None)
    if published is not None:  # e.g. site/riverside: that folder belongs to the whole published site
        raise SafeguideError(Problem(
            where,
            f"this folder is inside {display_path(published, root)}/, a site safeguide published. Each build replaces that site as a whole.",
            f"Publish to {display_path(published, root)} itself (to rebuild some partnerships only, name them: safeguide build riverside), or to a folder of its own.",
        ))
    try:
        strangers = _strangers(target) if target.is_dir() else []
    except OSError as e:
        raise SafeguideError(Problem(where, f"this folder cannot be read: {(e.strerror or str(e)).lower()}.", "Make it readable, or choose another folder with --out.")) from None
    if strangers:
        listed = ", ".join(strangers[:3]) + (f" and {len(strangers) - 3} more" if len(strangers) > 3 else "")
        raise SafeguideError(Problem(
            where,
            f"this folder holds files that safeguide did not publish ({listed}). Publishing here would delete them.",
            f"Choose a new or empty folder, or move those files somewhere else first. safeguide only replaces a folder it published itself (it leaves a {MARKER} file in it).",
        ))
    return target


def _overlap(target: Path, folders: list[ReadFolder], root: Path, where: str) -> Problem | None:
    """A problem if target is one of the folders, lies inside one (the deepest is named) or holds one (the
    widest is named). Only the project root may hold the output (site/ is there)."""
    def name(folder: ReadFolder) -> str:
        return f"{display_path(folder.path, root)}/ ({folder.what})" if folder.path != root else f"the project folder ({folder.what})"

    by_depth = sorted(folders, key=lambda f: len(f.path.parts))
    for folder in reversed(by_depth):
        if target == folder.path:
            return Problem(where, f"this is {name(folder)}. The build reads it, and publishing here would replace it with the built site.", _FIX_ELSEWHERE)
        if target.is_relative_to(folder.path) and folder.path != root:
            return Problem(where, f"this folder is inside {name(folder)}, which the build reads. Publishing here would mix the built site into it.", _FIX_ELSEWHERE)
    for folder in by_depth:
        if folder.path.is_relative_to(target):
            return Problem(where, f"this folder holds {name(folder)}. Publishing here would delete it.", _FIX_ELSEWHERE)
    return None


def _strangers(folder: Path) -> list[str]:
    """What in an existing folder shows that safeguide did not publish it; [] for an empty folder or one of ours.

    Ours: it has the MARKER; or (outputs published before the marker) index.html and one folder per
    partnership, each with its partnership.json, and nothing else.
    """
    entries = sorted(folder.iterdir())
    if not entries or (folder / MARKER).is_file():
        return []
    shown = {e: e.name + ("/" if e.is_dir() else "") for e in entries}
    partnerships = [e for e in entries if e.is_dir() and (e / SITE_INFO).is_file()]
    if not (folder / "index.html").is_file() or not partnerships:
        return list(shown.values())
    return [name for e, name in shown.items() if e not in partnerships and e.name != "index.html"]


def cannot_write(target: Path, root: Path, error: OSError) -> SafeguideError:
    """The problem for a folder the build cannot write beside (read-only, immutable, full, no permission)."""
    shown = display_path(target, root)
    reason = (error.strerror or str(error)).lower()
    if error.errno in (errno.EPERM, errno.EACCES):  # say why, in words: mode bits, or chattr +i / +a
        reason += " (the folder, or the one holding it, is protected against changes)"
    return SafeguideError(Problem(
        f"--out {shown}",
        f"cannot write beside {shown}: {reason}. Nothing was published; what is there is unchanged.",
        "Make the folder and the one holding it writable (or free some space), or choose another folder with --out, then build again.",
    ))


_FS_IOC_GETFLAGS, _FS_IMMUTABLE_FL, _FS_APPEND_FL = 0x80086601, 0x10, 0x20  # <linux/fs.h>: what chattr +i / +a set


def check_writable(target: Path) -> None:
    """Raise OSError now, before building, if the swap could not replace the existing output: it is a
    mount point, or marked immutable or append-only (chattr +i / +a; Linux). The folder holding it is
    checked by creating the lock there."""
    if not target.is_dir():
        return
    if os.path.ismount(target):  # rename(2) answers EBUSY, which says nothing to a user
        raise OSError(errno.EBUSY, "it is a mount point, which cannot be swapped for the new site; publish to a folder inside it", str(target))
    if os.statvfs(target).f_flag & os.ST_RDONLY:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
    if sys.platform.startswith("linux") and _attributes(target) & (_FS_IMMUTABLE_FL | _FS_APPEND_FL):
        raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(target))


def _attributes(folder: Path) -> int:
    """The folder's inode flags as lsattr shows them; 0 where the file system keeps none."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return int.from_bytes(fcntl.ioctl(fd, _FS_IOC_GETFLAGS, bytes(8))[:4], sys.byteorder)
    except OSError:
        return 0
    finally:
        os.close(fd)


# --- one build at a time ----------------------------------------------------------------------------------------------


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def exclusive(target: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the output's lock (flock on `.<out>.lock`, created beside it) for the whole block.

    Waits for another build into the same output, calling on_wait once. The kernel drops a flock when
    its holder dies, so a killed build never blocks the next. The file is removed on release; a waiter
    that then holds a lock on the removed file notices (another inode at the path) and takes it again.
    Raises OSError when the folder holding the output cannot be written.
    """
    path, waited = lock_path(target), False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited:
                    on_wait()
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


# --- staging, strays and the swap -------------------------------------------------------------------------------------


def staging_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.staging-{secrets.token_hex(4)}")


def strays(target: Path) -> list[Path]:
    """Staging and old copies beside the output that a killed or failed run left (named by staging_path/_old_path)."""
    ours = re.compile(rf"\.{re.escape(target.name)}\.(staging|old)-[0-9a-f]{{8}}")
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if ours.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def remove_strays(target: Path) -> None:
    """Remove what killed runs left beside the output. Call only while holding the lock: then no other run has any."""
    for stray in strays(target):
        shutil.rmtree(stray, ignore_errors=True)


def copy_linked(source: Path, target: Path, *, symlinks: bool = False) -> None:
    """`source`'s tree at `target`, each file a hard link where the file system allows (else a copy): fast, and safe
    because nothing published or cached is ever rewritten in place. `symlinks` as shutil.copytree's."""
    def link(src: str, dst: str) -> str:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(source, target, copy_function=link, symlinks=symlinks)


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def swap_in(staging: Path, target: Path) -> None:
    """Make the complete staging folder the output; the previous output is removed afterwards.

    On Linux one renameat2(RENAME_EXCHANGE) trades the two folders, so the output folder exists and is
    complete at every moment; the old site then sits at the staging path and is removed. Where exchange is
    not available (other systems; file systems answering EINVAL/ENOSYS) the fallback is two renames,
    with a moment without an output folder. Raises OSError (with the state unchanged) if neither works.
    """
    if not target.exists():
        os.rename(staging, target)
    elif _exchange(staging, target):
        pause(PAUSE_AFTER_SWAP)
        shutil.rmtree(staging, ignore_errors=True)  # the old site; a killed run leaves it for the next to remove
    else:
        _two_renames(staging, target)


def _old_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.old-{secrets.token_hex(4)}")


def _two_renames(staging: Path, target: Path) -> None:
    old = _old_path(target)
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    pause(PAUSE_AFTER_SWAP)
    shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2; False where the system or file system cannot."""
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _libc_renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc 2.28+, musl 1.2.4+
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def pause(variable: str) -> None:
    """Sleep as long as the test-only variable says (PAUSE_BEFORE_SWAP, PAUSE_AFTER_SWAP): lets a test kill a
    build in a moment that is otherwise microseconds long. Unset, as for every user: no pause."""
    seconds = os.environ.get(variable)
    if seconds:
        time.sleep(float(seconds))


# --- stopping -----------------------------------------------------------------------------------------------------------

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopOnSignal:
    """The handler of Ctrl-C and SIGTERM in the main process: both stop the run the same way (main() reports it).

    It also remembers the signal: Python drops an exception raised where it cannot propagate (an at-fork
    or finalizer callback), and stops_held() then still stops the run before anything is published.
    """

    def __init__(self) -> None:
        self.received: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        raise Stopped(signum)


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the new site is swapped in; a stop that came meanwhile is raised
    at the end as Stopped(published=True), so the report says the site went out. A stop that came
    earlier and was lost (see StopOnSignal) is raised at the start: nothing is published."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    held: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: held.append(signum)) for s in STOP_SIGNALS}
    try:
        lost = [h.received for h in previous.values() if isinstance(h, StopOnSignal) and h.received]
        if lost:
            raise Stopped(lost[0])
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if held:
        raise Stopped(held[0], published=True)


@contextmanager
def stops_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM blocked (delivered at the end) while worker processes are forked: a handler
    that ran inside fork's own callbacks would have its exception dropped. Workers unblock them."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def quiet_lost_stops(unraisable: sys.UnraisableHookArgs) -> None:
    """sys.unraisablehook: a stop dropped where it could not propagate is no error to show (see StopOnSignal)."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def start_worker(parent: int) -> None:
    """Initializer of build worker processes: the main process alone handles Ctrl-C and SIGTERM (and stops
    the workers, which then end silently); a worker whose main process was killed ends too (Linux),
    rather than writing on into a folder the next build removes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked while forking: stops_deferred
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the main process died before prctl took effect
        os._exit(1)
