"""What lays out and compresses the PDF on this machine, as one digest: the fonts fontconfig can find, the text
libraries, and zlib.

WeasyPrint takes its fonts from the system (fontconfig) and shapes text with Pango, HarfBuzz and FreeType, so the
same document makes a different PDF when they change: on Debian, installing Chromium brings Liberation Sans, the
first font of our PDF stylesheet, and the whole guidance drops from 117 pages in DejaVu Sans to 110. zlib, the
system library behind Python's zlib module, compresses the PDF's streams (pydyf) and MkDocs' sitemap.xml.gz. Both caches
(finished editions and finished PDFs) put this digest in their keys, so that nothing built with other fonts is
published from them.

The digest is made without WeasyPrint (importing it costs more than a build with nothing changed may): fontconfig's
configuration is read with fontconfig itself (`FcInitLoadConfig`, which scans no fonts), then every file under the font
folders it names is listed with its size and modification time, and each library reports its version. A library
that cannot be loaded counts as absent (WeasyPrint then fails the PDF with its own message).
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import zlib
from collections.abc import Iterator
from typing import Any

# The names WeasyPrint's own loader tries (weasyprint/text/ffi.py), Linux first.
FONTCONFIG = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig-1")
PANGO = ("libpango-1.0.so.0", "libpango-1.0.dylib", "libpango-1.0-0.dll", "pango-1.0")
HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz")
FREETYPE = ("libfreetype.so.6", "libfreetype.6.dylib", "libfreetype-6.dll", "freetype")


@functools.cache
def typesetting_digest() -> str:
    """The fonts and text libraries of this machine as one hex digest (see the module), worked out once per process.
    Never raises: what cannot be read counts as absent."""
    return measure()


def measure() -> str:
    """typesetting_digest, worked out now (FONTCONFIG_FILE and the font folders as they are at this moment)."""
    digest = hashlib.sha256()
    for line in _lines():
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def _lines() -> Iterator[str]:
    fontconfig = _library(FONTCONFIG)
    if fontconfig is None:
        yield "fontconfig absent"
    else:
        yield from _fontconfig(fontconfig)
    yield f"pango {_version_string(PANGO, 'pango_version_string')}"
    yield f"harfbuzz {_version_string(HARFBUZZ, 'hb_version_string')}"
    yield f"freetype {_freetype_version()}"
    yield f"zlib {zlib.ZLIB_RUNTIME_VERSION}"


def _library(names: tuple[str, ...]) -> Any:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _fontconfig(lib: Any) -> Iterator[str]:
    """fontconfig's version, the bytes of each configuration file it reads, and every file under the font folders
    those files name (path, size, modification time: fonts are large, and a changed font changes these)."""
    lib.FcGetVersion.restype = ctypes.c_int
    yield f"fontconfig {lib.FcGetVersion()}"
    lib.FcInitLoadConfig.restype = ctypes.c_void_p
    lib.FcConfigGetFontDirs.restype = lib.FcConfigGetConfigFiles.restype = ctypes.c_void_p
    lib.FcConfigGetFontDirs.argtypes = lib.FcConfigGetConfigFiles.argtypes = [ctypes.c_void_p]
    lib.FcStrListNext.restype, lib.FcStrListNext.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    lib.FcStrListDone.argtypes = lib.FcConfigDestroy.argtypes = [ctypes.c_void_p]
    config = lib.FcInitLoadConfig()
    if not config:
        yield "fontconfig configuration unreadable"
        return
    try:
        for path in _strings(lib, lib.FcConfigGetConfigFiles(config)):
            yield f"configuration {path} {_file_digest(path)}"
        for folder in _strings(lib, lib.FcConfigGetFontDirs(config)):
            yield f"fonts in {folder}"
            yield from _listing(folder)
    finally:
        lib.FcConfigDestroy(config)


def _strings(lib: Any, handle: int | None) -> list[str]:
    """An FcStrList's strings, sorted; the list is freed."""
    if not handle:
        return []
    found = []
    try:
        while (item := lib.FcStrListNext(handle)) is not None:
            found.append(os.fsdecode(item))
    finally:
        lib.FcStrListDone(handle)
    return sorted(set(found))


def _file_digest(path: str) -> str:
    if os.path.isdir(path):  # fontconfig lists a folder of configuration files too; their files are listed apart
        return "folder"
    try:
        with open(path, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()
    except OSError:
        return "unreadable"


def _listing(folder: str) -> Iterator[str]:
    """Every file under `folder` (symbolic links followed, as fontconfig does), with its size and modification time."""
    seen: set[tuple[int, int]] = set()  # folders by (device, inode): a link back up must not loop
    for top, folders, files in os.walk(folder, followlinks=True):
        try:
            status = os.stat(top)
        except OSError:
            folders[:] = []
            continue
        if (status.st_dev, status.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((status.st_dev, status.st_ino))
        folders.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            yield f"{os.path.relpath(path, folder)} {status.st_size} {status.st_mtime_ns}"


def _version_string(names: tuple[str, ...], function: str) -> str:
    lib = _library(names)
    if lib is None:
        return "absent"
    getter = getattr(lib, function)
    getter.restype = ctypes.c_char_p
    value = getter()
    return value.decode("ascii", "replace") if value else "unknown"


def _freetype_version() -> str:
    lib = _library(FREETYPE)
    if lib is None:
        return "absent"
    handle = ctypes.c_void_p()
    if lib.FT_Init_FreeType(ctypes.byref(handle)) != 0:
        return "unknown"
    try:
        major, minor, patch = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        lib.FT_Library_Version(handle, ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
        return f"{major.value}.{minor.value}.{patch.value}"
    finally:
        lib.FT_Done_FreeType(handle)
