"""Seeded randomness for the API tests' data (names, ids, search words).

The run's seed is OMS_TEST_SEED (or --oms-seed), else a fresh one; conftest.py prints it in the
header and under every failure. Before each test the generator is re-seeded from the run's seed
and the test's node id, so a failing test gets the same data when run again with that seed, alone
or with others. Names of databases and directories are not test data and stay unique per run
(support/server.py)."""
import os
import random
import uuid

k_env = "OMS_TEST_SEED"


def _initial_seed():
    value = os.environ.get(k_env)
    return int(value) if value else random.SystemRandom().randrange(2 ** 32)


seed = _initial_seed()
_rng = random.Random(seed)


def set_seed(value):
    """Sets the run's seed (from the command line) and restarts the generator with it."""
    global seed
    seed = int(value)
    _rng.seed(seed)


def start_test(node_id):
    """Restarts the generator for one test: its data depends only on the seed and its id."""
    _rng.seed(f"{seed}:{node_id}")


def uuid4():
    """A version-4 UUID drawn from the seeded generator."""
    return uuid.UUID(int=_rng.getrandbits(128), version=4)


def hex_digits(n):
    return "".join(_rng.choice("0123456789abcdef") for _ in range(n))
