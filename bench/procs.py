"""Process helpers the bench scripts share (bench/run, bench/instructions, bench/exports.py)."""
import socket
import subprocess


def run(cmd, **kw):
    """Runs `cmd`, raises on a non-zero exit, returns its standard output as text."""
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
