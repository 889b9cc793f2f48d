"""The command line as a team lead's script uses it: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import file_bytes

PASS = "ronces violettes sur le canal"


def run(*args: str, passphrase: str | None = PASS, new: str | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIADESK_")}
    if passphrase is not None:
        env["MEDIADESK_PASSPHRASE"] = passphrase
    if new is not None:
        env["MEDIADESK_NEW_PASSPHRASE"] = new
    return subprocess.run([sys.executable, "-m", "mediadesk", *args], capture_output=True,
                          text=True, env=env, input=stdin, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in lines[0]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "demo.mdk"
    result = run("demo", "--store", str(store), "--households", "40", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return store


def _stores(store: Path) -> tuple[Path, Path]:
    return store, store.with_name(store.name + ".keys")


def test_init_creates_a_store_and_refuses_to_overwrite(tmp_path: Path) -> None:
    store = tmp_path / "neuf.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    before = file_bytes(*_stores(store))
    again = run("init", "--store", str(store))
    assert_clean_failure(again, 6, "existe déjà")
    assert file_bytes(*_stores(store)) == before


def test_find_prints_one_household_per_line_and_json(demo_store: Path) -> None:
    listing = run("find", "--store", str(demo_store), "--json", "a")
    assert listing.returncode == 0, listing.stderr
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert rows, "a demo store has names with an a"
    assert {"id", "name", "address", "phones"} <= set(rows[0])
    name = rows[0]["name"]
    by_name = run("find", "--store", str(demo_store), "--json", name)
    assert rows[0]["id"] in {json.loads(line)["id"] for line in by_name.stdout.splitlines()}
    phone = rows[0]["phones"][0] if rows[0]["phones"] else None
    if phone:
        digits = phone.replace(" ", "")[:6]
        by_phone = run("find", "--store", str(demo_store), "--json", digits)
        assert rows[0]["id"] in {json.loads(line)["id"] for line in by_phone.stdout.splitlines()}
    plain = run("find", "--store", str(demo_store), name)
    assert plain.returncode == 0 and name in plain.stdout


def test_wrong_passphrase_gives_one_line_and_touches_nothing(demo_store: Path) -> None:
    before = file_bytes(*_stores(demo_store))
    result = run("find", "--store", str(demo_store), "x", passphrase="mauvaise phrase")
    assert_clean_failure(result, 4, "phrase de passe incorrecte")
    assert file_bytes(*_stores(demo_store)) == before


def test_missing_store(tmp_path: Path) -> None:
    result = run("find", "--store", str(tmp_path / "absent.mdk"), "x")
    assert_clean_failure(result, 3, "aucun dossier chiffré")
    assert list(tmp_path.iterdir()) == []


def test_corrupted_store_is_reported_and_left_byte_for_byte(tmp_path: Path) -> None:
    store = tmp_path / "abime.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    data = bytearray(store.read_bytes())
    data[200:260] = os.urandom(60)
    store.write_bytes(bytes(data))
    before = file_bytes(*_stores(store))
    for command in (("find", "--store", str(store), "x"), ("check", "--store", str(store))):
        assert_clean_failure(run(*command), 5, "endommagé")
    assert file_bytes(*_stores(store)) == before


def test_garbage_key_file_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    store.with_name("s.mdk.keys").write_text("n'importe quoi", encoding="utf-8")
    assert_clean_failure(run("find", "--store", str(store), "x"), 5, "endommagé")


def test_check_passes_on_a_healthy_store(demo_store: Path) -> None:
    result = run("check", "--store", str(demo_store))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucun problème" in result.stdout


def test_passwd_changes_the_passphrase(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    changed = run("passwd", "--store", str(store), new="un tout autre chemin de halage")
    assert changed.returncode == 0, changed.stderr
    assert_clean_failure(run("find", "--store", str(store), "x"), 4, "incorrecte")
    assert run("find", "--store", str(store), "x",
               passphrase="un tout autre chemin de halage").returncode == 0


def test_passwd_without_terminal_or_variable_explains_itself(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    result = run("passwd", "--store", str(store), stdin="")
    assert_clean_failure(result, 2, "MEDIADESK_PASSPHRASE")


def test_slots_add_list_recovery_remove(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("init", "--store", str(store)).returncode == 0
    assert run("slots", "--store", str(store), "add", "--label", "Karim",
               new="la phrase de karim au marché").returncode == 0
    recovery = run("slots", "--store", str(store), "add-recovery")
    assert recovery.returncode == 0, recovery.stderr
    code = recovery.stdout.splitlines()[1].strip()
    assert run("check", "--store", str(store), passphrase=code).returncode == 0
    listing = run("slots", "--store", str(store), "list").stdout.splitlines()
    assert [line.split("\t")[1] for line in listing] == ["passphrase", "passphrase", "recovery"]
    recovery_id = listing[2].split("\t")[0]
    assert run("slots", "--store", str(store), "remove", "--slot", recovery_id).returncode == 0
    assert_clean_failure(run("check", "--store", str(store), passphrase=code), 4, "incorrecte")


def test_backup_and_restore(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("demo", "--store", str(store), "--households", "5", "--seed", "1").returncode == 0
    names = run("find", "--store", str(store), "--json", "a").stdout
    target = tmp_path / "copie.mdbackup"
    assert run("backup", "--store", str(store), "--out", str(target)).returncode == 0
    assert run("demo", "--store", str(store), "--households", "5", "--seed", "2").returncode == 0
    restored = run("restore", "--store", str(store), "--from", str(target))
    assert restored.returncode == 0, restored.stderr
    assert run("find", "--store", str(store), "--json", "a").stdout == names


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("find").returncode == 2
    bad = run("demo", "--store", str(tmp_path / "s.mdk"), "--households", "0")
    assert_clean_failure(bad, 2, "--households")


def test_a_closed_pipe_ends_quietly(demo_store: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIADESK_")}
    env["MEDIADESK_PASSPHRASE"] = PASS
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written (`| head` that quit)
    try:
        finder = subprocess.run(
            [sys.executable, "-m", "mediadesk", "find", "--store", str(demo_store), "a"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write_end)
    assert finder.stderr == ""
    assert finder.returncode == 141


def test_backup_list_and_restore_from_the_list(tmp_path: Path) -> None:
    store = tmp_path / "s.mdk"
    assert run("backup", "list", "--store", str(store)).stdout == ""  # nothing yet, no store
    assert run("demo", "--store", str(store), "--households", "5", "--seed", "1").returncode == 0
    names = run("find", "--store", str(store), "--json", "a").stdout
    made = run("backup", "--store", str(store))
    assert made.returncode == 0, made.stderr
    assert run("demo", "--store", str(store), "--households", "5", "--seed", "2").returncode == 0
    listing = run("backup", "list", "--store", str(store), passphrase=None)
    assert listing.returncode == 0, listing.stderr
    [line] = listing.stdout.splitlines()
    number, _when, kind, size, name = line.split("\t")
    assert (number, kind) == ("1", "manuelle") and name.endswith(".mdbackup")
    assert size.endswith(("ko", "Mo"))

    assert_clean_failure(run("restore", "--store", str(store), "--from", "7"), 2, "backup list")
    restored = run("restore", "--store", str(store), "--from", "1")
    assert restored.returncode == 0, restored.stderr
    assert "état précédent a été sauvegardé" in restored.stdout
    assert run("find", "--store", str(store), "--json", "a").stdout == names
    after = [row.split("\t") for row in run("backup", "list", "--store", str(store)
                                            ).stdout.splitlines()]
    assert [row[2] for row in after] == ["avant restauration", "manuelle"]
    assert run("restore", "--store", str(store), "--from", after[0][4]).returncode == 0
    assert run("find", "--store", str(store), "--json", "a").stdout != names  # undone
