"""`statuses` and `what_if_statuses` (status without reasons, for version records and target
what-ifs) say exactly what `verdicts` and `run` say: on the rules fixture (concentration,
unknown revenue, 卡脖子 problems, projects) and the two-chain province, in every scope."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.settings import Settings
from queries.diagnosis import Hypothesis, presence, run, statuses, what_if_statuses
from queries.params import AnalysisParams
from queries.province.history import history_regions
from queries.snapshot import Snapshot, build_snapshot
from tests.conftest import FIXTURES, load_store


@pytest.fixture(scope="module", params=["rules", "province"])
def snap(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    settings = Settings(db=tmp_path_factory.mktemp("statuses") / "kg.db")
    settings.neo4j_uri = None  # a pure computation on the snapshot; parity is tested elsewhere
    folders: list[Path] = (
        [FIXTURES / "rules"]
        if request.param == "rules"
        else [FIXTURES / "province" / v for v in ("v1", "v2", "v3")]
    )
    store = load_store(settings, folders)
    built = build_snapshot(store)
    store.close()
    return built


def test_statuses_equal_the_verdicts_in_every_scope(snap: Snapshot) -> None:
    params = AnalysisParams()
    checked = 0
    for chain in snap.chains.values():
        for scope in history_regions(snap):
            result = run(snap, chain, scope, params)
            found = presence(snap, chain, scope, params)
            expected = {x: v.status for x, v in result.verdicts.items()}
            assert statuses(snap, chain, found, scope, params) == expected
            checked += len(expected)
    assert checked > 20


def test_what_if_statuses_equal_run_with_the_hypothesis(snap: Snapshot) -> None:
    """A firm (a copy of a local one under a new id) landing in each link in turn."""
    params = AnalysisParams()
    model = next(e for e in snap.enterprises.values() if e.local)
    checked = 0
    for chain in snap.chains.values():
        for scope in history_regions(snap)[:4]:
            base = run(snap, chain, scope, params)
            places = model.places | ({scope.id} if scope.id else set())
            for link_id in chain.links:
                landed = dataclasses.replace(
                    model, id="ent:假设企业", links=[link_id], places=frozenset(places)
                )
                hypothesis = Hypothesis(enterprises={link_id: [landed]})
                after = run(snap, chain, scope, params, hypothesis, base=base)
                got, rate = what_if_statuses(snap, base, params, hypothesis)
                assert got == {x: v.status for x, v in after.verdicts.items()}
                assert rate == after.local_rate(snap)
                checked += got != {x: v.status for x, v in base.verdicts.items()}
    assert checked > 5  # some landings change a status
