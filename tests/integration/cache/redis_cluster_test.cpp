// Cluster mode on the seed's shape, assembled by hand (redis-cli --cluster create wants 3
// masters): 2 masters with slots 0-8191 and 8192-16383, one replica each, on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "cache/guarded_cache.hpp"
#include "cache/key_slot.hpp"
#include "cache/redis_cluster_cache.hpp"
#include "redis_server.hpp"
#include "support/numbered.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

// Test vectors of the Redis Cluster specification.
TEST(KeySlot, FollowsTheClusterSpecification) {
  EXPECT_EQ(cache::crc16("123456789"), 0x31C3);
  EXPECT_EQ(cache::key_slot("foo"), 12182);
  EXPECT_EQ(cache::key_slot("{user1000}.following"), cache::key_slot("{user1000}.followers"));
  EXPECT_EQ(cache::key_slot("{user1000}.following"), cache::key_slot("user1000"));
  EXPECT_EQ(cache::key_slot("foo{}{bar}"), cache::key_slot("foo{}{bar}"));  // empty tag: the whole key
  EXPECT_NE(cache::key_slot("foo{}{bar}"), cache::key_slot("bar"));
  EXPECT_EQ(cache::key_slot("foo{{bar}}zap"), cache::key_slot("{bar"));
}

std::string field(const std::string& text, const std::string& name) {
  auto at = text.find(name + ":");
  if (at == std::string::npos) return "";
  auto end = text.find_first_of("\r\n", at);
  return text.substr(at + name.size() + 1, end - at - name.size() - 1);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

class RedisCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    RedisServer::Options o;
    o.cluster = true;
    for (int i = 0; i < 4; ++i) nodes_.push_back(std::make_unique<RedisServer>(o));
    auto& m1 = *nodes_[0];
    auto& m2 = *nodes_[1];
    ASSERT_NE(m1.cli("CLUSTER ADDSLOTSRANGE 0 8191").find("OK"), std::string::npos);
    ASSERT_NE(m2.cli("CLUSTER ADDSLOTSRANGE 8192 16383").find("OK"), std::string::npos);
    for (int i = 1; i < 4; ++i) m1.cli("CLUSTER MEET 127.0.0.1 " + std::to_string(nodes_[i]->port()));
    ASSERT_TRUE(wait_for([&] {
      for (auto& n : nodes_)
        if (field(n->cli("CLUSTER INFO"), "cluster_known_nodes") != "4") return false;
      return true;
    }));
    const std::string m1_id = trim(m1.cli("CLUSTER MYID"));
    const std::string m2_id = trim(m2.cli("CLUSTER MYID"));
    ASSERT_NE(nodes_[2]->cli("CLUSTER REPLICATE " + m1_id).find("OK"), std::string::npos);
    ASSERT_NE(nodes_[3]->cli("CLUSTER REPLICATE " + m2_id).find("OK"), std::string::npos);
    // Every node must also know both replicas as such: a master ignores a manual failover's
    // request from a node it does not yet know as its replica (the failover then times out).
    ASSERT_TRUE(wait_for([&] {
      for (auto& n : nodes_)
        if (field(n->cli("CLUSTER INFO"), "cluster_state") != "ok" || replicas_known(n->cli("CLUSTER NODES")) != 2)
          return false;
      return field(nodes_[2]->cli("INFO replication"), "master_link_status") == "up" &&
             field(nodes_[3]->cli("INFO replication"), "master_link_status") == "up";
    })) << report();
  }

  // The lines of CLUSTER NODES whose flags say replica ("slave", or "myself,slave").
  static int replicas_known(const std::string& cluster_nodes) {
    int replicas = 0;
    std::istringstream lines(cluster_nodes);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string id, address, flags;
      if (words >> id >> address >> flags && (flags == "slave" || flags.ends_with(",slave"))) ++replicas;
    }
    return replicas;
  }

  template <class F>
  bool wait_for(F ready) {
    for (int i = 0; i < 300; ++i) {  // bounded: 30 s
      if (ready()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  // What each node thinks of the cluster, and the end of its log: a failed wait's message.
  std::string report() const {
    std::string out;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      out += "\n--- node " + std::to_string(i) + " (port " + std::to_string(nodes_[i]->port()) +
             "): " + field(nodes_[i]->cli("CLUSTER INFO"), "cluster_state") + "\n" + nodes_[i]->cli("CLUSTER NODES") +
             nodes_[i]->log_tail(12);
    }
    return out;
  }

  std::vector<std::unique_ptr<RedisServer>> nodes_;
  IoThreads loop_;
};

TEST_F(RedisCluster, KeysGoToTheMasterOfTheirSlotAndFollowAFailover) {
  // The client is given one node (a replica, even): the topology comes from CLUSTER SLOTS.
  cache::RedisClusterCache c(
      loop_.io().get_executor(),
      cache::parse_redis_url("redis://127.0.0.1:" + std::to_string(nodes_[2]->port()), std::nullopt));
  for (int i = 0; i < 40; ++i)
    loop_.run(c.set(oms::testing::numbered("opportunity:", i), oms::testing::numbered("v", i), 60s));
  EXPECT_EQ(c.mode(), "cluster");
  int on_first = 0;
  int on_second = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string key = oms::testing::numbered("opportunity:", i);
    EXPECT_EQ(loop_.run(c.get(key)), oms::testing::numbered("v", i));
    auto& master = cache::key_slot(key) <= 8191 ? *nodes_[0] : *nodes_[1];
    EXPECT_EQ(trim(master.cli("GET " + key)), oms::testing::numbered("v", i));
    (cache::key_slot(key) <= 8191 ? on_first : on_second)++;
  }
  EXPECT_GT(on_first, 0);
  EXPECT_GT(on_second, 0);
  // All 40 at once: one batch per master, answers in the keys' order.
  std::vector<std::string> keys;
  std::vector<std::optional<std::string>> expected;
  for (int i = 0; i < 40; ++i) {
    keys.push_back(oms::testing::numbered("opportunity:", i));
    expected.emplace_back(oms::testing::numbered("v", i));
  }
  keys.emplace_back("opportunity:absent");
  expected.emplace_back(std::nullopt);
  EXPECT_EQ(loop_.run(c.get_many(keys)), expected);
  EXPECT_TRUE(loop_.run(c.compare_and_set("opportunity:1", "v1", "w1", 60s)));
  loop_.run(c.del("opportunity:2"));
  EXPECT_EQ(loop_.run(c.get("opportunity:2")), std::nullopt);

  // A manual failover of the second shard: its replica becomes master; the old master answers MOVED.
  ASSERT_NE(nodes_[3]->cli("CLUSTER FAILOVER").find("OK"), std::string::npos);
  ASSERT_TRUE(wait_for([&] { return field(nodes_[3]->cli("INFO replication"), "role") == "master"; })) << report();
  // Before any single call learns of it: the old master's MOVED answers are followed key by key.
  expected[1] = "w1";
  expected[2] = std::nullopt;
  const auto redirects_before = c.redirects();
  EXPECT_EQ(loop_.run(c.get_many(keys)), expected);
  EXPECT_GT(c.redirects(), redirects_before);
  for (int i = 0; i < 40; ++i) {
    const std::string key = oms::testing::numbered("opportunity:", i);
    if (i == 2) continue;
    EXPECT_EQ(loop_.run(c.get(key)), (i == 1 ? "w1" : oms::testing::numbered("v", i)));
  }
  loop_.run(c.set("foo", "after failover", 60s));  // slot 12182: the new master
  EXPECT_EQ(trim(nodes_[3]->cli("GET foo")), "after failover");
  EXPECT_GE(c.redirects(), 1u);
}

TEST_F(RedisCluster, OneCallAsksBothMastersAtOnce) {
  auto options = cache::parse_redis_url("redis://127.0.0.1:" + std::to_string(nodes_[0]->port()), std::nullopt);
  options.timeout = 5s;  // outlasts the pause below
  cache::RedisClusterCache c(loop_.io().get_executor(), options);
  // Keys on both masters, the first on the first master (whose batch goes first).
  std::vector<std::string> keys;
  std::vector<std::optional<std::string>> expected;
  int on_second = 0;
  for (int i = 0; keys.size() < 12; ++i) {
    const std::string key = oms::testing::numbered("opportunity:", i);
    if (keys.empty() && cache::key_slot(key) > 8191) continue;
    loop_.run(c.set(key, oms::testing::numbered("v", i), 60s));
    keys.push_back(key);
    expected.emplace_back(oms::testing::numbered("v", i));
    if (cache::key_slot(key) > 8191) ++on_second;
  }
  ASSERT_GT(on_second, 0);
  EXPECT_EQ(loop_.run(c.get_many(keys)), expected);  // connections open, topology known
  auto gets_on_second = [&] {
    const std::string stats = nodes_[1]->cli("INFO commandstats");
    const auto at = stats.find("cmdstat_get:calls=");
    return at == std::string::npos ? 0 : std::stoi(stats.substr(at + 18));
  };
  const int before = gets_on_second();
  // The first master stops answering for 2 s: the second's GETs must not wait for it.
  ASSERT_NE(nodes_[0]->cli("CLIENT PAUSE 2000 ALL").find("OK"), std::string::npos);
  auto all = boost::asio::co_spawn(loop_.io(), c.get_many(keys), boost::asio::use_future);
  std::this_thread::sleep_for(700ms);
  EXPECT_EQ(gets_on_second() - before, on_second) << "the second master was not asked while the first was paused";
  EXPECT_EQ(all.get(), expected);
}

TEST_F(RedisCluster, AskRedirectDuringASlotMigration) {
  cache::RedisClusterCache c(
      loop_.io().get_executor(),
      cache::parse_redis_url("redis://127.0.0.1:" + std::to_string(nodes_[0]->port()), std::nullopt));
  const std::string key = "user:migrating";
  const int slot = cache::key_slot(key);
  auto& source = slot <= 8191 ? *nodes_[0] : *nodes_[1];
  auto& target = slot <= 8191 ? *nodes_[1] : *nodes_[0];
  EXPECT_EQ(loop_.run(c.get(key)), std::nullopt);  // topology loaded
  const std::string source_id = trim(source.cli("CLUSTER MYID"));
  const std::string target_id = trim(target.cli("CLUSTER MYID"));
  ASSERT_NE(target.cli(oms::testing::numbered("CLUSTER SETSLOT ", slot) + " IMPORTING " + source_id).find("OK"),
            std::string::npos);
  ASSERT_NE(source.cli(oms::testing::numbered("CLUSTER SETSLOT ", slot) + " MIGRATING " + target_id).find("OK"),
            std::string::npos);
  // The key is not on the source: a write is sent on with ASK, and lands on the target.
  loop_.run(c.set(key, "asked", 60s));
  EXPECT_GE(c.redirects(), 1u);
  const std::string count = oms::testing::numbered("CLUSTER COUNTKEYSINSLOT ", slot);
  EXPECT_EQ(trim(source.cli(count)), "0");
  EXPECT_EQ(trim(target.cli(count)), "1");
  EXPECT_EQ(loop_.run(c.get(key)), "asked");
}

// A master dies: calls keep answering (misses, one line down); once its replica took over, the
// cache is up again without a restart and serves the shard from the new master.
TEST_F(RedisCluster, AMasterStoppingIsInvisibleAndItsReplicaTakesOver) {
  cache::RedisClusterCache c(
      loop_.io().get_executor(),
      cache::parse_redis_url("redis://127.0.0.1:" + std::to_string(nodes_[0]->port()), std::nullopt));
  int downs = 0;
  int ups = 0;
  std::string last_down;
  cache::GuardedCache guarded(
      c, "cluster",
      [&](const std::string& why) {
        ++downs;
        last_down = why;
      },
      [&](const std::string&) { ++ups; });
  loop_.run(guarded.set("foo", "before", 60s));                                  // slot 12182: the second master
  ASSERT_TRUE(wait_for([&] { return trim(nodes_[3]->cli("DBSIZE")) == "1"; }));  // replicated
  nodes_[1]->stop();
  for (int i = 0; i < 20; ++i) loop_.run(guarded.get("foo"));  // never throws
  EXPECT_EQ(guarded.state(), "down");
  // With 2 masters no majority is left to elect the replica; ElastiCache's control plane promotes
  // it, as TAKEOVER does here.
  ASSERT_NE(nodes_[3]->cli("CLUSTER FAILOVER TAKEOVER").find("OK"), std::string::npos);
  ASSERT_TRUE(wait_for([&] { return field(nodes_[3]->cli("INFO replication"), "role") == "master"; })) << report();
  ASSERT_TRUE(wait_for([&] {
    loop_.run(guarded.get("opportunity:probe"));
    return guarded.state() == "up";
  })) << downs
      << " downs, " << ups << " ups; the last: " << last_down << report();
  EXPECT_EQ(loop_.run(guarded.get("foo")), "before");
  EXPECT_EQ(downs, 1);
  EXPECT_EQ(ups, 1);
}

}  // namespace
}  // namespace oms::testing
