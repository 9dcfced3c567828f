#include "redis_server.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace oms::testing {
namespace {

// Binds `port` (0: any) on 127.0.0.1 and returns the port bound, 0 when it is taken.
unsigned short bind_port(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A free port; for a cluster node also below 55535 with its bus port (+10000) free.
unsigned short free_port(bool cluster) {
  for (int i = 0; i < 1000; ++i) {
    const unsigned short p = bind_port(0);
    if (!cluster) return p;
    if (p >= 20000 && p < 55000 && bind_port(static_cast<unsigned short>(p + 10000)) != 0) return p;
    const auto candidate = static_cast<unsigned short>(20000 + (p * 7919u + static_cast<unsigned>(i)) % 35000);
    if (bind_port(candidate) != 0 && bind_port(static_cast<unsigned short>(candidate + 10000)) != 0) return candidate;
  }
  throw std::runtime_error("no free port for redis-server");
}

std::string capture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buf{};
  while (auto n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  return out;
}

void must(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// A cluster node's directory is on tmpfs when there is one: a node fsyncs nodes.conf on every
// epoch change (a failover), and on a disk busy with the other tests' syncs that can block it for
// seconds, long enough for its peers to take it for failed.
std::string temp_dir(bool cluster) {
  const char* base = std::getenv("OMS_TEST_TMPDIR");
  std::filesystem::path root = base ? base : std::filesystem::temp_directory_path().string();
  std::error_code ec;
  if (cluster && std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0)
    root = "/dev/shm/oms-test";
  std::filesystem::create_directories(root);
  std::string pattern = (root / "redis-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// Alive and not a zombie (the daemonized server is not our child; its reaper may be slow).
bool running(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_text, comm, state;
  if (!(stat >> pid_text >> comm >> state)) return false;
  return state != "Z" && state != "X";
}

}  // namespace

RedisServer::RedisServer(Options options)
    : options_(std::move(options)), dir_(temp_dir(options_.cluster)), port_(free_port(options_.cluster)) {
  if (options_.tls) {
    const std::string d = dir_;
    must("cd " + d +
         " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=oms-test-ca "
         "-keyout ca.key -out ca.crt "
         "2>/dev/null"
         " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 -keyout "
         "server.key -out server.csr 2>/dev/null"
         " && printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf"
         " && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile ext.cnf "
         "-out server.crt 2>/dev/null");
  }
  start();
}

RedisServer::~RedisServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::url() const {
  std::string u = options_.tls ? "rediss://" : "redis://";
  if (!options_.password.empty()) u += ":" + options_.password + "@";
  u += "127.0.0.1:" + std::to_string(port_);
  if (options_.tls) u += "?ca_file=" + ca_file();
  return u;
}

std::string RedisServer::cli(const std::string& args) const {
  std::string c = "redis-cli -h 127.0.0.1 -p " + std::to_string(port_);
  if (options_.tls) c += " --tls --cacert " + ca_file();
  if (!options_.password.empty()) c += " --no-auth-warning -a " + options_.password;
  return capture(c + " " + args + " 2>&1");
}

void RedisServer::start() {
  if (pid_ != 0) return;
  const std::string pidfile = dir_ + "/redis.pid";
  std::filesystem::remove(pidfile);
  std::string c = "cd " + dir_ + " && redis-server --bind 127.0.0.1 --save '' --appendonly no --daemonize yes" +
                  " --pidfile " + pidfile + " --logfile " + dir_ + "/redis.log --dir " + dir_;
  const std::string port = std::to_string(port_);
  if (options_.tls)
    c += " --port 0 --tls-port " + port + " --tls-cert-file server.crt --tls-key-file server.key" +
         " --tls-ca-cert-file ca.crt --tls-auth-clients no";
  else
    c += " --port " + port;
  if (!options_.password.empty()) c += " --requirepass " + options_.password;
  // A node is taken for failed after 5 s without an answer: a test machine busy with other tests
  // can pause a node for a second or more, and the tests' failovers are ordered, not detected.
  // A replica's first sync starts at once (the default waits 5 s for more replicas to share it).
  if (options_.cluster)
    c += " --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000"
         " --repl-diskless-sync-delay 0";
  must(c);
  for (int i = 0; i < 500; ++i) {  // bounded: up to 10 s for the pidfile and a PONG
    std::ifstream in(pidfile);
    if (in >> pid_ && cli("PING").find("PONG") != std::string::npos) return;
    pid_ = 0;
    ::usleep(20000);
  }
  throw std::runtime_error("redis-server did not start; see " + dir_ + "/redis.log");
}

void RedisServer::stop() {
  if (pid_ == 0) return;
  ::kill(pid_, SIGTERM);
  // A master waits up to 10 s (shutdown-timeout) for lagging replicas; a stopped node must be gone.
  for (int i = 0; i < 200 && running(pid_); ++i) ::usleep(20000);
  if (running(pid_)) ::kill(pid_, SIGKILL);
  for (int i = 0; i < 200 && running(pid_); ++i) ::usleep(20000);
  pid_ = 0;
}

std::string RedisServer::log_tail(int lines) const {
  return capture("tail -n " + std::to_string(lines) + " " + dir_ + "/redis.log 2>&1");
}

IoThreads::IoThreads() : guard_(io_.get_executor()), a_([this] { io_.run(); }), b_([this] { io_.run(); }) {}
IoThreads::~IoThreads() {
  guard_.reset();
  io_.stop();
  a_.join();
  b_.join();
}

}  // namespace oms::testing
