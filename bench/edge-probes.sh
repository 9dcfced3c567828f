#!/usr/bin/env bash
# The HTTP edge probes of issue 7, re-runnable against any `oms` binary, on 127.0.0.1 only, each
# bounded in count and under 60 s:
#   idle       10,000 idle connections, then a light load (2,000 keep-alive requests from 4 clients);
#              RSS before / with the connections / after closing them, load errors and throughput
#   slowloris  500 sockets each sending a header one byte a second; what they get, and whether a
#              normal client is served meanwhile
#   fds        the server under `ulimit -n 1024` with 1,500 idle connections: its CPU, its log lines
#              and bytes over 10 s, and whether a new client is answered
#
#   bench/edge-probes.sh BINARY [idle|slowloris|fds ...]     (default: all three)
#
# Prints one JSON line per probe. Needs a descriptor hard limit of at least 12,000 for `idle`.
set -euo pipefail
binary="$(realpath "${1:?usage: bench/edge-probes.sh BINARY [idle|slowloris|fds ...]}")"
shift
probes=("$@")
[ ${#probes[@]} -gt 0 ] || probes=(idle slowloris fds)
work="$(mktemp -d /tmp/oms-edge-probes.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server NOFILE: a fresh embedded server under that descriptor limit; sets $pid and $port.
start_server() {
  local nofile=$1
  rm -rf "$work/data" && mkdir -p "$work/data"
  "$binary" migrate --data-dir "$work/data" >/dev/null 2>&1
  port=$(free_port)
  (ulimit -n "$nofile" && exec "$binary" serve --data-dir "$work/data" --port "$port" \
     --rate-limit-per-second 0 --log-level info >"$work/serve.log" 2>&1) &
  pid=$!
  for _ in $(seq 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server did not start" >&2
  exit 1
}

stop_server() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}

run_probe() { # name
  /usr/bin/python3 - "$1" "$port" "$pid" "$work/serve.log" <<'PY'
import json, os, socket, sys, threading, time, resource

probe, port, pid, log_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
tick = os.sysconf("SC_CLK_TCK")

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)

def cpu_s():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def log_stats():
    lines = size = 0
    with open(log_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            size += len(chunk)
    return lines, size

def get(timeout=3.0):
    """One GET /health on a new connection: the status code, or what went wrong."""
    t = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = s.recv(4096)
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else "closed"
    except socket.timeout:
        status = "timeout"
    except OSError as e:
        status = type(e).__name__
    return status, round((time.monotonic() - t) * 1000, 1)

def load(total, clients):
    """`total` keep-alive GET /health from `clients` threads; errors and requests/s."""
    errors = [0]
    def worker(n):
        s = None
        for _ in range(n):
            try:
                if s is None:
                    s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while b'{"status":"ok"}' not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        raise OSError("closed")
                    data += chunk
            except OSError:
                errors[0] += 1
                if s: s.close()
                s = None
        if s: s.close()
    t = time.monotonic()
    threads = [threading.Thread(target=worker, args=(total // clients,)) for _ in range(clients)]
    for th in threads: th.start()
    for th in threads: th.join()
    return errors[0], round(total / (time.monotonic() - t))

out = {"probe": probe}
if probe == "idle":
    out["rss_mb_before"] = rss_mb()
    socks = []
    t = time.monotonic()
    for _ in range(10000):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    out["connections_opened"] = len(socks)
    out["open_seconds"] = round(time.monotonic() - t, 1)
    out["rss_mb_with_connections"] = rss_mb()
    out["load_errors"], out["load_requests_per_s"] = load(2000, 4)
    out["single_get"] = get()
    out["rss_mb_after_load"] = rss_mb()
    for s in socks: s.close()
    time.sleep(2)
    get()
    out["rss_mb_after_close"] = rss_mb()
elif probe == "slowloris":
    header = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    socks = []
    for _ in range(500):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setblocking(False)
        socks.append([s, 0, None])
    t0 = time.monotonic()
    normal = []
    next_sample = t0 + 2
    while time.monotonic() - t0 < 40:
        for entry in socks:
            s, sent, answer = entry
            if answer is not None:
                continue
            try:
                data = s.recv(4096)
                entry[2] = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/1.1 ") else "closed"
                continue
            except BlockingIOError:
                pass
            except OSError:
                entry[2] = "reset"
                continue
            if sent < len(header):
                try:
                    s.send(header[sent:sent + 1])
                    entry[1] += 1
                except OSError:
                    entry[2] = "reset"
        if time.monotonic() >= next_sample:  # a normal client every 5 s
            normal.append(get())
            next_sample += 5
        if all(e[2] is not None for e in socks):
            break
        time.sleep(1)
    out["attack_seconds"] = round(time.monotonic() - t0, 1)
    answers = {}
    for _, _, answer in socks:
        answers[str(answer)] = answers.get(str(answer), 0) + 1
    out["slowloris_outcomes"] = answers  # "None": still open when the probe ended
    out["normal_client_during_attack"] = normal
    for s, _, _ in socks: s.close()
elif probe == "fds":
    socks = []
    for _ in range(1500):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            break
    out["connections_opened"] = len(socks)
    lines0, bytes0 = log_stats()
    cpu0, t0 = cpu_s(), time.monotonic()
    out["new_client_at_start"] = get()
    time.sleep(10 - (time.monotonic() - t0))
    out["server_cpu_percent"] = round(100 * (cpu_s() - cpu0) / (time.monotonic() - t0))
    lines1, bytes1 = log_stats()
    out["log_lines_in_10s"], out["log_mb_in_10s"] = lines1 - lines0, round((bytes1 - bytes0) / 1e6, 1)
    out["new_client_after_10s"] = get()
    for s in socks: s.close()
    time.sleep(1.5)
    out["new_client_after_closing"] = get()
print(json.dumps(out))
PY
}

for probe in "${probes[@]}"; do
  case "$probe" in
    idle) start_server 20000 ;;
    slowloris) start_server 20000 ;;
    fds) start_server 1024 ;;
    *) echo "unknown probe $probe" >&2; exit 2 ;;
  esac
  run_probe "$probe"
  stop_server
done
