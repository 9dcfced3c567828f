#!/usr/bin/python3
"""The dependency rule, checked: every `#include` in src/ must point inward.

    tools/check_layers.py [SRC_DIR]      exit 0 when clean, 1 with one line per violation
    tools/check_layers.py --self-test    shows the check fails on a tree that breaks the rule

Layers and what each may include of ours (the folder under src/ is the layer):

    util       nothing of ours (and any library)
    domain     util; no I/O: no OpenSSL, sockets, files, streams, databases, Asio/Beast, logging,
               and no <random> (entropy is I/O; ids come through domain::IdGenerator)
    logging    util
    storage    domain, util
    identity   domain, util
    adapters   domain, util          (system clock, random ids: implementations of domain ports)
    cache      util                (the cache port and its memory/Redis implementations)
    objects    domain, util, logging, tracing  (object stores: file:// and s3://, SigV4)
    app        domain, util, cache, the storage ports (storage/database.hpp, storage/repositories/*),
               the object store ports (objects/object_store.hpp, objects/download_signer.hpp)
    tracing    domain, util, logging, cache, the storage ports (it decorates storage::Database, cache::Cache)
    http       app, identity, domain, util, logging, tracing, the storage ports, the object store port
    jobs       app, domain, util, logging, tracing, the storage ports, the object store port
    cli        anything (it wires the process together)

A folder under src/ without a rule here fails the check, so a new layer gets a rule on day one.
System headers are only checked for domain. The README's map shows the layers.
"""
import pathlib
import re
import sys

k_storage_ports = re.compile(r"^storage/(database\.hpp|repositories/[a-z_]+_repository\.hpp)$")
k_objects_ports = ("objects/object_store.hpp", "objects/download_signer.hpp")

k_allowed = {
    "util": set(),
    "domain": {"util"},
    "logging": {"util"},
    "storage": {"domain", "util"},
    "identity": {"domain", "util"},
    "adapters": {"domain", "util"},
    "cache": {"util"},
    "objects": {"domain", "util", "logging", "tracing"},
    "app": {"domain", "util", "cache", "storage-ports", "objects-port"},
    "tracing": {"domain", "util", "logging", "cache", "storage-ports"},
    "http": {"app", "identity", "domain", "util", "logging", "tracing", "storage-ports", "objects-port"},
    "jobs": {"app", "domain", "util", "logging", "tracing", "storage-ports", "objects-port"},
    "cli": None,  # anything
}

# Known exceptions, each with its reason; keep this list short and shrinking.
k_exceptions = {
    ("jobs", "http/metrics.hpp"): "the metrics registry still lives in http; it moves out like logging did",
}

# System headers the domain may not include (prefix match on the header name).
k_domain_forbidden = (
    "openssl/", "sys/", "netinet/", "arpa/", "unistd.h", "fcntl.h", "poll.h", "fstream", "iostream",
    "filesystem", "cstdio", "stdio.h", "random", "thread", "boost/asio", "boost/beast", "sqlite3.h",
    "libpq-fe.h", "hiredis/", "spdlog/", "curl/",
)

k_include = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def check_file(path, layer, src):
    problems = []
    allowed = k_allowed[layer]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = k_include.match(line)
        if not m:
            continue
        kind, name = m.groups()
        where = f"{path.relative_to(src.parent)}:{number}"
        if kind == "<":
            if layer == "domain" and name.startswith(k_domain_forbidden):
                problems.append(f"{where}: domain includes <{name}> (I/O belongs in an adapter)")
            continue
        target = name.split("/", 1)[0] if "/" in name else None
        if target is None or not (src / name).is_file():
            problems.append(f'{where}: "{name}" is not a path under src/ (write "layer/file.hpp")')
            continue
        if allowed is None or target == layer or target in allowed:
            continue
        if "storage-ports" in allowed and k_storage_ports.match(name):
            continue
        if "objects-port" in allowed and name in k_objects_ports:
            continue
        if (layer, name) in k_exceptions:
            continue
        problems.append(f'{where}: {layer} may not include "{name}" ({layer} -> '
                        f'{", ".join(sorted(allowed)) or "nothing of ours"})')
    return problems


def check_tree(src):
    problems = []
    for folder in sorted(p for p in src.iterdir() if p.is_dir()):
        if folder.name not in k_allowed:
            problems.append(f"src/{folder.name}: no dependency rule for this folder (add it to tools/check_layers.py)")
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".hpp", ".cpp", ".h"):
                problems.extend(check_file(path, folder.name, src))
    return problems


def self_test():
    import tempfile
    cases = {  # file -> (content, expected violations)
        "util/a.hpp": ('#include "domain/b.hpp"\n#include <openssl/rand.h>\n', 1),
        "domain/b.hpp": ('#include "util/a.hpp"\n#include <fstream>\n#include <random>\n#include <chrono>\n', 2),
        "app/c.cpp": ('#include "storage/repositories/x_repository.hpp"\n#include "storage/sqlite/s.hpp"\n'
                      '#include "http/h.hpp"\n', 2),
        "http/h.hpp": ('#include "storage/database.hpp"\n#include "app/c.cpp"\n#include "cli/m.cpp"\n'
                       '#include "nowhere.hpp"\n', 2),
        "cli/m.cpp": ('#include "http/h.hpp"\n#include "storage/sqlite/s.hpp"\n', 0),
        "storage/database.hpp": ("", 0),
        "storage/repositories/x_repository.hpp": ('#include "domain/b.hpp"\n', 0),
        "storage/sqlite/s.hpp": ('#include "app/c.cpp"\n', 1),
        "mystery/z.hpp": ("", 1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "src"
        for name, (content, _) in cases.items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_text(content, encoding="utf-8")
        problems = check_tree(src)
    expected = sum(n for _, n in cases.values())
    for p in problems:
        print("  found:", p)
    if len(problems) != expected:
        print(f"check_layers self-test: expected {expected} violations, found {len(problems)}")
        return 1
    print(f"check_layers self-test: the {expected} planted violations were all found")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    src = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "src")
    problems = check_tree(src)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} include(s) break the dependency rule")
        return 1
    print("check_layers: every include points inward")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
