"""A real redis-server on 127.0.0.1 for API tests: started in a temp dir by the test, stopped by
its own process handle (never by name)."""
import shutil
import socket
import subprocess
import time

from support.server import free_port


def _free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class RedisServer:
    def __init__(self, data_dir, port=None, cluster=False):
        if shutil.which("redis-server") is None:
            raise AssertionError("redis-server is not installed (scripts/setup.sh installs it)")
        self.dir = data_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        # A cluster node also listens on port + 10000 (the cluster bus): keep both usable.
        while cluster and port is None and not (self.port + 10000 <= 65535 and _free(self.port + 10000)):
            self.port = free_port()
        self.proc = None
        self.cluster = cluster

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log"),
             *(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000"]
               if self.cluster else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.cli("PING").strip() == "PONG":
                return self
            time.sleep(0.05)
        raise AssertionError("redis-server did not answer PING within 10 s")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def cli(self, *args):
        out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args], capture_output=True,
                             text=True, timeout=10)
        return out.stdout


def field(info, name):
    for line in info.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def wait(what, predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_cluster(data_dir):
    """Two shards, each a master with one replica (as ElastiCache in infra/), assembled by hand:
    slots 0-8191 and 8192-16383, MEET, REPLICATE, until every node reports cluster_state:ok."""
    nodes = []
    try:
        for i in range(4):
            nodes.append(RedisServer(data_dir / f"node{i}", cluster=True))
            nodes[-1].start()
        _assemble(nodes)
    except BaseException:
        for n in nodes:
            n.stop()
        raise
    return nodes


def _assemble(nodes):
    m1, m2, r1, r2 = nodes
    assert "OK" in m1.cli("CLUSTER", "ADDSLOTSRANGE", "0", "8191")
    assert "OK" in m2.cli("CLUSTER", "ADDSLOTSRANGE", "8192", "16383")
    for n in nodes[1:]:
        m1.cli("CLUSTER", "MEET", "127.0.0.1", str(n.port))
    wait("four known nodes", lambda: all(field(n.cli("CLUSTER", "INFO"), "cluster_known_nodes") == "4" for n in nodes))
    assert "OK" in r1.cli("CLUSTER", "REPLICATE", m1.cli("CLUSTER", "MYID").strip())
    assert "OK" in r2.cli("CLUSTER", "REPLICATE", m2.cli("CLUSTER", "MYID").strip())
    wait("cluster_state ok", lambda: all(field(n.cli("CLUSTER", "INFO"), "cluster_state") == "ok" for n in nodes))
