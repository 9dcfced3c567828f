"""The command line: subcommands listed, configuration validated at start with a message naming
the setting and where its value came from (flag, environment, file), and development tokens
refused outside the embedded profile."""
import os
import re
import subprocess

import pytest


def _run(binary, args, env=None, cwd=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    full_env.update(env or {})
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60, env=full_env, cwd=cwd)


def test_version_names_the_allocator_every_library_reaches(oms_binary):
    """`oms version` names the process's allocator, and the dynamic linker's bindings agree: with
    mimalloc every library's malloc (libc's own too) is bound to it; with the system's (sanitizer
    builds, -DOMS_ALLOCATOR=system) nothing is."""
    out = _run(oms_binary, ["version"], {"LD_DEBUG": "bindings"})
    assert out.returncode == 0, out.stderr[-2000:]
    named = re.fullmatch(r"oms \S+ \((mimalloc \d+\.\d+\.\d+|system malloc)\)", out.stdout.strip())
    assert named, out.stdout
    bound_to = {line.split(" to ", 1)[1].split(" [", 1)[0] for line in out.stderr.splitlines()
                if "normal symbol `malloc'" in line}
    assert bound_to, out.stderr[-2000:]
    if named.group(1).startswith("mimalloc"):
        assert all("libmimalloc" in lib for lib in bound_to), bound_to
    else:
        assert not any("libmimalloc" in lib for lib in bound_to), bound_to


def test_help_lists_the_subcommands(oms_binary):
    out = _run(oms_binary, ["--help"])
    assert out.returncode == 0, out.stderr
    for command in ("serve", "worker", "migrate", "seed", "token"):
        assert f"\n  {command} " in out.stdout, out.stdout


@pytest.mark.parametrize("how", ["flag", "environment", "file"])
def test_a_bad_setting_stops_the_start_naming_it_and_its_source(oms_binary, tmp_path, how):
    args, env = ["serve", "--data-dir", str(tmp_path)], {}
    if how == "flag":
        args += ["--port", "99999"]
        source = "--port"
    elif how == "environment":
        env["OMS_HTTP_PORT"] = "99999"
        source = "OMS_HTTP_PORT"
    else:
        config = tmp_path / "oms.conf"
        config.write_text("port = 99999\n")
        args += ["--config", str(config)]
        source = str(config)
    out = _run(oms_binary, args, env)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "--port" in out.stderr and "99999" in out.stderr and source in out.stderr, out.stderr


def test_flags_win_over_environment_and_file(oms_binary, tmp_path):
    config = tmp_path / "oms.conf"
    config.write_text("database-url = mysql://from-file\n")
    out = _run(oms_binary, ["serve", "--data-dir", str(tmp_path), "--config", str(config),
                            "--database-url", "mysql://from-flag"], {"OMS_DATABASE_URL": "mysql://from-env"})
    assert out.returncode == 2 and "mysql://from-flag" in out.stderr, out.stderr
    out = _run(oms_binary, ["serve", "--data-dir", str(tmp_path), "--config", str(config)],
               {"OMS_DATABASE_URL": "mysql://from-env"})
    assert out.returncode == 2 and "mysql://from-env" in out.stderr, out.stderr


def test_tokens_are_refused_in_production(oms_binary, tmp_path):
    out = _run(oms_binary, ["token", "--role", "ADMIN", "--data-dir", str(tmp_path), "--profile", "production"])
    assert out.returncode != 0 and out.stdout == "", (out.stdout, out.stderr)
    assert "embedded" in out.stderr, out.stderr
    assert not (tmp_path / "jwt_signing_key.pem").exists()


def test_worker_help_lists_its_settings(oms_binary):
    out = _run(oms_binary, ["worker", "--help"])
    assert out.returncode == 0, out.stderr
    for name in ("--worker-port", "--worker-concurrency", "--webhook-url", "--job-max-attempts"):
        assert name in out.stdout, out.stdout


def test_webhooks_need_a_secret_and_http_urls(oms_binary, tmp_path):
    args = ["worker", "--data-dir", str(tmp_path)]
    out = _run(oms_binary, [*args, "--webhook-url", "http://127.0.0.1:9/hook"])
    assert out.returncode == 2 and "OMS_WEBHOOK_SECRET" in out.stderr, out.stderr
    out = _run(oms_binary, [*args, "--webhook-url", "ftp://127.0.0.1/hook"], {"OMS_WEBHOOK_SECRET": "s" * 32})
    assert out.returncode == 2 and "--webhook-url" in out.stderr and "ftp://" in out.stderr, out.stderr
    out = _run(oms_binary, [*args, "--worker-concurrency", "0"])
    assert out.returncode == 2 and "--worker-concurrency" in out.stderr, out.stderr
    assert not (tmp_path / "oms.db").exists(), "a refused start must not touch the data directory"
